import { Readable } from "node:stream";
import type { ReadableStream as NodeWebStream } from "node:stream/web";
import busboy from "busboy";
import { ApiError, payloadTooLarge } from "@/lib/api";
import { parseCsv, type ParsedCsv } from "./csv";
import { MAX_TEXT_BYTES, TextError, TextUploadReader, textModes, type ParsedText, type TextMode } from "./text";

/** Room for the multipart boundaries and the small `label` / `name` fields around the file. */
const MULTIPART_OVERHEAD = 64 * 1024;

const badForm = (message: string) => new ApiError(400, "validation_failed", message);

export type CsvUpload = ParsedCsv & { kind: "csv"; name: string | null; fileName: string; size: number };
export type TextUpload = ParsedText & { kind: "text"; name: string | null; fileName: string; size: number };

/** A classified text refusal as the API answers it (413 over the limit, 422 otherwise). */
const textApiError = (e: unknown) => (e instanceof TextError ? new ApiError(e.status, e.code, `the .txt file: ${e.message}`, e.details) : e);

/**
 * Reads a text file for a language model as it streams in (lib/datasets/text/upload.ts): the first
 * refusal — NUL byte or invalid UTF-8, more than 256 distinct characters, over the byte limit — stops it.
 */
async function parseText(file: NodeJS.ReadableStream, mode: TextMode, maxBytes: number): Promise<ParsedText> {
  const reader = new TextUploadReader({ mode, maxBytes });
  for await (const chunk of file as AsyncIterable<Buffer>) reader.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  return reader.finish();
}

type Parsing = Promise<(Omit<CsvUpload, "name"> | Omit<TextUpload, "name">) & { fileName: string; size: number }>;

/**
 * Refuses what is not a multipart body (or declares more than the limit) before reading any of it,
 * and sets busboy up to stop the file at `maxBytes`.
 */
function openMultipart(request: Request, maxBytes: number): { source: Readable; bb: busboy.Busboy } {
  const type = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\b/i.test(type)) throw new ApiError(415, "unsupported_media_type", "upload the CSV as multipart/form-data (fields: label, then file)");
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes + MULTIPART_OVERHEAD) throw payloadTooLarge(maxBytes);
  if (!request.body) throw badForm("empty body: expected the fields label and file");

  const source = Readable.fromWeb(request.body as unknown as NodeWebStream<Uint8Array>);
  try {
    return { source, bb: busboy({ headers: { "content-type": type }, limits: { files: 1, fields: 4, fieldSize: 1024, fileSize: maxBytes, parts: 8 } }) };
  } catch (e) {
    throw badForm(`malformed multipart body: ${(e as Error).message}`);
  }
}

/**
 * Starts parsing the `file` part as text or CSV, as the fields before it say; throws (after draining
 * the part) when those fields are wrong. `onLimit` is told the byte limit when busboy cuts the file.
 */
function parseFilePart(file: Readable, info: busboy.FileInfo, fields: Record<string, string>, maxBytes: number, onLimit: (limit: number) => void): Parsing {
  if (fields.kind === "text" || /\.txt$/i.test(info.filename ?? "")) {
    const mode = (fields.mode?.trim() || "lines") as TextMode;
    if (!(textModes as readonly string[]).includes(mode)) {
      file.resume();
      throw badForm(`the field "mode" must be one of ${textModes.join(", ")}`);
    }
    let size = 0;
    file.on("data", (c: Buffer) => (size += c.length));
    file.on("limit", () => onLimit(Math.min(maxBytes, MAX_TEXT_BYTES)));
    return parseText(file, mode, Math.min(maxBytes, MAX_TEXT_BYTES)).then(
      (p) => ({ ...p, kind: "text" as const, fileName: info.filename ?? "upload.txt", size }),
      (e: unknown) => {
        file.resume();
        throw textApiError(e);
      },
    );
  }
  const label = fields.label?.trim();
  if (!label) {
    file.resume();
    throw badForm('the field "label" (the label column\'s name) must come before the field "file"');
  }
  let size = 0;
  file.on("data", (c: Buffer) => (size += c.length));
  file.on("limit", () => onLimit(maxBytes));
  return parseCsv(file, label).then((p) => ({ ...p, kind: "csv" as const, fileName: info.filename ?? "upload.csv", size }));
}

/**
 * Reads a `multipart/form-data` upload: fields `label` (the label column's name; optional `name`)
 * followed by `file` (the CSV). A language model's text instead: a `.txt` file name or the field
 * `kind=text`, optional `mode` ("lines": one example per line, the default; "stream": one text), then
 * `file` (UTF-8, at most min(maxBytes, 50 MB)). The size limit is enforced while the body streams in: a declared
 * Content-Length above it is refused before reading, and the file stream stops at `maxBytes`.
 * The CSV is parsed as it arrives; nothing is stored here.
 */
export async function readCsvUpload(request: Request, maxBytes: number): Promise<CsvUpload | TextUpload> {
  const { source, bb } = openMultipart(request, maxBytes);

  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let parsing: Parsing | null = null;
    let tooLarge = false;
    let settled = false;
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      source.unpipe(bb);
      source.destroy();
      reject(tooLarge ? payloadTooLarge(maxBytes) : e);
    };
    bb.on("field", (name, value, info) => {
      if (info.valueTruncated) return fail(badForm(`field "${name}" is longer than 1024 bytes`));
      fields[name] = value;
    });
    bb.on("file", (name, file, info) => {
      if (name !== "file") {
        file.resume();
        return fail(badForm(`unexpected file field "${name}": send the CSV in the field "file"`));
      }
      let parsed: Parsing;
      try {
        parsed = parseFilePart(file, info, fields, maxBytes, (limit) => {
          tooLarge = true;
          fail(payloadTooLarge(limit));
        });
      } catch (e) {
        return fail(e);
      }
      parsed.catch(fail);
      parsing = parsed;
    });
    bb.on("filesLimit", () => fail(badForm("send exactly one file")));
    bb.on("partsLimit", () => fail(badForm("too many form parts")));
    bb.on("error", (e) => fail(badForm(`malformed multipart body: ${(e as Error).message}`)));
    bb.on("close", () => {
      if (settled) return;
      if (!parsing) return fail(badForm('no file: send the CSV in the field "file"'));
      parsing.then(
        (p) => {
          if (settled) return;
          settled = true;
          resolve({ ...p, name: fields.name?.trim() || null } as CsvUpload | TextUpload);
        },
        fail,
      );
    });
    source.on("error", fail);
    source.pipe(bb);
  });
}
