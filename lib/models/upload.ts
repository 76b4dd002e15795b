import "server-only";
import { createHash } from "node:crypto";
import busboy from "busboy";
import { ApiError, payloadTooLarge, validationError } from "@/lib/api";
import { expectedTensors, modelConfigSchema, parametersOf, type ModelConfig } from "./config";
import { SafetensorsError, SafetensorsValidator } from "./safetensors";

/** The `config` field (JSON: a GPT's vocabulary, an MLP's normalisation and column names) may be this long. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Room for the multipart boundaries, part headers and the `name` field around the file and the config. */
const MULTIPART_OVERHEAD = 64 * 1024;

export type ModelUpload = { config: ModelConfig; name: string | null; fileName: string; bytes: Uint8Array; sha256: string; size: number };

const badForm = (message: string) => new ApiError(400, "validation_failed", message);

/** The `config` field → a registry config (400 naming the field, e.g. `config.layers.1`), bounded so its file fits. */
function parseConfig(text: string, maxBytes: number): ModelConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw badForm(`config: not JSON (${(e as Error).message})`);
  }
  const parsed = modelConfigSchema.safeParse(json);
  if (!parsed.success) throw validationError(parsed.error, "config");
  const bytes = parametersOf(parsed.data) * 4;
  if (bytes > maxBytes) throw new ApiError(400, "validation_failed", `config: the model's ${bytes} bytes of F32 weights exceed the ${maxBytes}-byte upload limit`, [{ path: "layers", message: "too large" }]);
  return parsed.data;
}

/** A file that failed the safetensors check, as the API answers it: 400 with the code and where. */
const fileError = (e: unknown) => (e instanceof SafetensorsError ? new ApiError(400, e.code, `file: ${e.message}`, e.details) : e);

type FilePart = { name: string; file: NodeJS.ReadableStream; fileName: string };

/**
 * Streams the `file` part through the safetensors check: the bytes are counted (413 as soon as they pass
 * `maxBytes`), hashed and validated chunk by chunk; nothing is kept but the bytes of a file that passes.
 */
function readFilePart(part: FilePart, config: ModelConfig, maxBytes: number, fail: (e: unknown) => void): Promise<Omit<ModelUpload, "name" | "config">> {
  const validator = new SafetensorsValidator(expectedTensors(config));
  const hash = createHash("sha256");
  const chunks: Buffer[] = [];
  let size = 0;
  let failed = false;
  return new Promise((resolve) => {
    part.file.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      try {
        if (size > maxBytes) throw payloadTooLarge(maxBytes);
        validator.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      } catch (e) {
        failed = true;
        return fail(fileError(e));
      }
      hash.update(chunk);
      chunks.push(chunk);
    });
    part.file.on("end", () => {
      if (failed) return;
      try {
        validator.finish();
      } catch (e) {
        return fail(fileError(e));
      }
      const bytes = new Uint8Array(Buffer.concat(chunks, size));
      resolve({ fileName: part.fileName, bytes, sha256: hash.digest("hex"), size });
    });
  });
}

type Parser = { bb: busboy.Busboy; done: Promise<ModelUpload>; failure: () => unknown };

/** Busboy set up for the form: `config` (then optional `name`) before `file`; the first refusal wins. */
function formParser(type: string, maxBytes: number): Parser {
  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: { "content-type": type }, limits: { files: 1, fields: 4, fieldSize: MAX_CONFIG_BYTES, fileSize: maxBytes + 1, parts: 8 } });
  } catch (e) {
    throw badForm(`malformed multipart body: ${(e as Error).message}`);
  }
  const fields: Record<string, string> = {};
  let failure: unknown = null;
  let file: Promise<Omit<ModelUpload, "name" | "config">> | null = null;
  let config: ModelConfig | null = null;
  let reject!: (e: unknown) => void;
  let resolve!: (u: ModelUpload) => void;
  const done = new Promise<ModelUpload>((res, rej) => ((resolve = res), (reject = rej)));
  done.catch(() => undefined);
  const fail = (e: unknown) => {
    if (failure === null) reject((failure = e));
  };
  bb.on("field", (name, value, info) => {
    if (info.valueTruncated) return fail(badForm(`field "${name}" is longer than ${MAX_CONFIG_BYTES} bytes`));
    fields[name] = value;
  });
  bb.on("file", (name, stream, info) => {
    // A refusal destroys the parser mid-part, which errors the part's stream: the refusal is the answer.
    stream.on("error", () => undefined);
    if (name !== "file") return stream.resume(), fail(badForm(`unexpected file field "${name}": send the safetensors in the field "file"`));
    if (fields.config === undefined) return stream.resume(), fail(badForm('the field "config" (the model\'s JSON config) must come before the field "file"'));
    try {
      config = parseConfig(fields.config, maxBytes);
    } catch (e) {
      return stream.resume(), fail(e);
    }
    file = readFilePart({ name, file: stream, fileName: info.filename ?? "model.safetensors" }, config, maxBytes, (e) => (stream.resume(), fail(e)));
  });
  bb.on("filesLimit", () => fail(badForm("send exactly one file")));
  bb.on("partsLimit", () => fail(badForm("too many form parts")));
  bb.on("error", (e) => fail(badForm(`malformed multipart body: ${(e as Error).message}`)));
  bb.on("close", () => {
    if (!file) return fail(badForm(fields.config === undefined ? 'no config: send the model\'s JSON config in the field "config", then the file' : 'no file: send the safetensors in the field "file"'));
    void file.then((f) => resolve({ ...f, config: config!, name: fields.name?.trim().slice(0, 200) || null }));
  });
  return { bb, done, failure: () => failure };
}

/**
 * Reads a `multipart/form-data` model upload — `config` (JSON, see lib/models/config.ts), optional `name`,
 * then `file` (safetensors) — checking it as it arrives. A declared Content-Length above the limit is
 * refused (413) before anything is read; otherwise the body is read chunk by chunk, counted (413 the moment
 * the file passes `maxBytes`) and checked (400 at the first bad header field, tensor or value), and reading
 * stops at the first refusal. Nothing is stored here.
 */
export async function readModelUpload(request: Request, maxBytes: number): Promise<ModelUpload> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\b/i.test(type)) throw new ApiError(415, "unsupported_media_type", "upload the model as multipart/form-data (fields: config, then file)");
  const bodyLimit = maxBytes + MAX_CONFIG_BYTES + MULTIPART_OVERHEAD;
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > bodyLimit) throw payloadTooLarge(maxBytes);
  if (!request.body) throw badForm("empty body: expected the fields config and file");
  const { bb, done, failure } = formParser(type, maxBytes);
  const reader = request.body.getReader();
  let total = 0;
  try {
    while (failure() === null) {
      const { done: end, value } = await reader.read();
      if (end) break;
      total += value.byteLength;
      if (total > bodyLimit) throw payloadTooLarge(maxBytes);
      // Busboy holds back when a part is not read fast enough; a refusal meanwhile ends the wait too.
      if (!bb.write(value)) await Promise.race([new Promise((r) => bb.once("drain", r)), done.catch(() => undefined)]);
    }
    if (failure() === null) bb.end();
    return await done;
  } finally {
    if (failure() !== null || total > bodyLimit) {
      await reader.cancel().catch(() => undefined);
      bb.destroy();
    }
  }
}
