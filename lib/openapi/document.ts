import { z } from "zod";
import { errorBodySchema, errorCodes } from "@/lib/api";
import { delegationTypes } from "@/lib/auth";
import { WORKER_AUTH_HEADER, WORKER_AUTH_MAX_SECONDS, resultTypes, workerAuthTypes } from "@/lib/protocol";
import { operations } from "./operations";

const STATUS_TEXT: Record<number, string> = {
  400: "invalid input (`invalid_json`, `validation_failed`)",
  401: "no session, or a refused SIWE message (`unauthorized`, `siwe_*`); worker calls: no session and no valid `x-corex-worker` header (missing, malformed, expired, more than 600 s ahead, or not signed by the node's owner or one of its live session keys)",
  403: "not allowed (`forbidden`, `node_not_eligible`, `not_lease_holder`, `bad_signature`; `cross_origin`: a write whose Origin is another site)",
  404: "not found",
  408: "too slow (`upload_timeout`)",
  409: "conflict (`conflict`, `lease_expired`, `slot_closed`, `result_conflict`, `poc_replayed_answer`, `poc_already_answered`)",
  410: "gone: too late (`poc_expired`)",
  413: "body over the limit (`payload_too_large`)",
  415: "wrong content type",
  422: "well-formed but refused (`csv_*`, `dataset_not_found`, `dataset_unlisted`, `invalid_delegation`, `delta_length`, `delta_not_finite`, `result_malformed`, `poc_wrong_product`)",
  429: "rate limited (`rate_limited`, Retry-After)",
  503: "a part is down, or busy (`server_busy`, Retry-After)",
};

type Schema = Record<string, unknown>;

const strip = (s: Schema): Schema => {
  const rest = { ...s };
  delete rest.$schema;
  delete rest.$id;
  return rest;
};

/** Named component refs: responses use `Name`, request bodies `NameInput` (defaults are optional there). */
function components(): Record<string, Schema> {
  const out = z.toJSONSchema(z.globalRegistry, { target: "draft-2020-12", io: "output", unrepresentable: "any", uri: (id) => `#/components/schemas/${id}` });
  const inp = z.toJSONSchema(z.globalRegistry, { target: "draft-2020-12", io: "input", unrepresentable: "any", uri: (id) => `#/components/schemas/${id}Input` });
  const all: Record<string, Schema> = {};
  for (const [id, s] of Object.entries(out.schemas)) all[id] = strip(s as Schema);
  for (const [id, s] of Object.entries(inp.schemas)) all[`${id}Input`] = strip(s as Schema);
  return all;
}

const idOf = (schema: z.ZodType) => (z.globalRegistry.get(schema) as { id?: string } | undefined)?.id;

function schemaRef(schema: z.ZodType, io: "input" | "output"): Schema {
  const id = idOf(schema);
  if (id) return { $ref: `#/components/schemas/${id}${io === "input" ? "Input" : ""}` };
  return strip(z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as Schema);
}

function parameters(obj: z.ZodObject | undefined, where: "path" | "query"): Schema[] {
  if (!obj) return [];
  const json = z.toJSONSchema(obj, { target: "draft-2020-12", io: "input" }) as { properties: Record<string, Schema>; required?: string[] };
  return Object.entries(json.properties).map(([name, schema]) => ({
    name,
    in: where,
    required: where === "path" || (json.required ?? []).includes(name),
    schema,
  }));
}

/**
 * Every EIP-712 message of the protocol with its types (field names and Solidity types), the domain and
 * its type, and where each is used — so a worker can sign without reading our source (docs/protocol/results.md).
 */
function eip712Block() {
  return {
    domain: { name: "Corex Network", version: "1", chainId: "CHAIN_ID of this deployment (a claimed slot's sign.chainId)" },
    domainTypes: { EIP712Domain: [{ name: "name", type: "string" }, { name: "version", type: "string" }, { name: "chainId", type: "uint256" }] },
    FragmentResult: {
      types: resultTypes, primaryType: "FragmentResult",
      usedBy: "POST /api/fragments/{id}/result, header x-corex-signature",
      note: "deltaSha256 = 0x + sha-256 of the body; lossBits = IEEE-754 bits of float32(x-corex-loss); fragmentId, replica, specHash, round from the claimed slot",
    },
    WorkerAuth: { types: workerAuthTypes, primaryType: "WorkerAuth", usedBy: "securitySchemes.workerAuth", header: `${WORKER_AUTH_HEADER}: <expiresAt>.<signature>, expiresAt ≤ ${WORKER_AUTH_MAX_SECONDS} s ahead` },
    SessionKeyDelegation: {
      types: delegationTypes, primaryType: "SessionKeyDelegation",
      usedBy: "POST /api/auth/session-keys (signed by the node owner's wallet, EOA or EIP-1271)", note: "expiresAt ≤ 24 h ahead; the key may then sign WorkerAuth and FragmentResult for nodeId",
    },
  };
}

/** The OpenAPI 3.1 document of the HTTP API, generated from the routes' zod schemas. */
export function openApiDocument(serverUrl?: string) {
  const schemas = components();
  const paths: Record<string, Record<string, Schema>> = {};
  for (const op of operations) {
    const responses: Record<string, Schema> = {
      [op.ok.status]: {
        description: op.ok.description,
        ...(op.ok.schema ? { content: { "application/json": { schema: schemaRef(op.ok.schema, "output") } } } : op.ok.type ? { content: { [op.ok.type]: { schema: op.ok.type === "application/octet-stream" ? { type: "string", contentEncoding: "binary" } : {} } } } : {}),
      },
    };
    // Every write is refused cross-origin (lib/api route()): 403 `cross_origin`.
    const errors = new Set([...op.errors, ...(op.auth || op.worker ? [401] : []), ...(op.method === "get" ? [] : [403]), 500]);
    for (const status of [...errors].sort()) {
      responses[status] = { description: STATUS_TEXT[status] ?? "internal error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
    }
    (paths[op.path] ??= {})[op.method] = {
      operationId: `${op.method}${op.path.replace(/^\/api/, "").replace(/[{}]/g, "").split(/[/.\-_]/).map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join("")}`,
      summary: op.summary,
      tags: [op.tag],
      ...(op.auth ? { security: [{ siweSession: [] }] } : op.worker ? { security: [{ workerAuth: [] }, { siweSession: [] }] } : {}),
      parameters: [...parameters(op.params, "path"), ...parameters(op.query, "query")],
      ...(op.body
        ? { requestBody: { required: true, description: `limit: ${op.body.limit}`, content: { [op.body.type]: { schema: op.body.type === "application/octet-stream" ? { type: "string", contentEncoding: "binary" } : schemaRef(op.body.schema, "input") } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Corex Network API",
      version: "1.0.0",
      description:
        "Coordinator API of the Corex Network. Errors are always `{ \"error\": { \"code\", \"message\", \"details\"? } }` — also a path no route has (404 `not_found`) and a method a route lacks (405 `method_not_allowed`, with Allow); " +
        `stable codes: ${errorCodes.map((c) => `\`${c}\``).join(", ")}. ` +
        "Workers: the protocol (batch order, the exact MLP and GPT maths, signatures, leases, faults) and its test vectors are in the repository's docs/protocol/.",
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    jsonSchemaDialect: "https://spec.openapis.org/oas/3.1/dialect/base",
    tags: [{ name: "auth" }, { name: "datasets" }, { name: "jobs" }, { name: "models" }, { name: "blobs" }, { name: "fragments" }, { name: "compute-poc" }, { name: "epochs" }, { name: "admin" }, { name: "ops" }],
    "x-eip712": eip712Block(),
    paths,
    components: {
      schemas: { ...schemas, Error: schemas.Error ?? strip(z.toJSONSchema(errorBodySchema) as Schema) } as Record<string, Schema>,
      securitySchemes: {
        siweSession: { type: "apiKey", in: "cookie", name: "corex_session", description: "Sign-In with Ethereum session (POST /api/auth/verify); named `__Host-corex_session` when the app is served over HTTPS" },
        workerAuth: {
          type: "apiKey", in: "header", name: WORKER_AUTH_HEADER,
          description: `Worker calls without a session: \`<expiresAt>.<signature>\`, expiresAt in unix seconds (in the future, at most ${WORKER_AUTH_MAX_SECONDS} s ahead), signature = 0x + 65 bytes: the EIP-712 WorkerAuth {nodeId, expiresAt} (see x-eip712) by the node's owner or a session key delegated for it (SessionKeyDelegation). nodeId must be the body's nodeId. docs/protocol/http.md`,
        },
      },
    },
  };
}
