import { Readable } from "node:stream";
import type { ReadableStream as NodeWebStream } from "node:stream/web";
import busboy from "busboy";
import { ApiError, payloadTooLarge } from "@/lib/api";
import { ParseJob, parseHeapMb, type ParseInit, type ParseProgress, type ParseResult } from "./parse-job";
import { MAX_TEXT_BYTES, textModes, type TextMode } from "./text";

/** Room for the multipart boundaries and the small `label` / `name` fields around the file. */
const MULTIPART_OVERHEAD = 64 * 1024;

const badForm = (message: string) => new ApiError(400, "validation_failed", message);

export type DatasetUpload = ParseResult & { name: string | null; fileName: string; size: number };

export type ReadUploadOptions = {
  maxBytes: number;
  /** Epoch ms by which the whole upload must have arrived and parsed (408 past it). */
  deadline: number;
  onProgress?: (p: ParseProgress & { phase: "receiving" | "finishing" }) => void;
};

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

/** What the fields before the file ask for: a .txt for a language model, or a CSV with its label column. */
function parseInit(info: busboy.FileInfo, fields: Record<string, string>, maxBytes: number): ParseInit {
  if (fields.kind === "text" || /\.txt$/i.test(info.filename ?? "")) {
    const mode = (fields.mode?.trim() || "lines") as TextMode;
    if (!(textModes as readonly string[]).includes(mode)) throw badForm(`the field "mode" must be one of ${textModes.join(", ")}`);
    return { kind: "text", mode, maxBytes: Math.min(maxBytes, MAX_TEXT_BYTES) };
  }
  const label = fields.label?.trim();
  if (!label) throw badForm('the field "label" (the label column\'s name) must come before the field "file"');
  return { kind: "csv", label };
}

/**
 * Streams the `file` part into a parse job, reading no further while the worker is behind; resolves
 * with the parsed result once the part has ended and the worker has finished.
 */
function parseFilePart(file: Readable, job: ParseJob, onEnd: () => void): Promise<ParseResult> {
  file.on("data", (chunk: Buffer) => {
    if (job.write(chunk)) return;
    file.pause();
    void job.drain().then(() => file.resume());
  });
  file.on("end", () => {
    onEnd();
    void job.end();
  });
  file.resume();
  return job.result;
}

/**
 * Reads a `multipart/form-data` upload: fields `label` (the label column's name; optional `name`)
 * followed by `file` (the CSV). A language model's text instead: a `.txt` file name or the field
 * `kind=text`, optional `mode` ("lines": one example per line, the default; "stream": one text), then
 * `file` (UTF-8, at most min(maxBytes, 50 MB)). The file is parsed as it arrives, in a worker thread
 * (./parse-job.ts); the size limit is enforced on the whole body as it streams in (a declared
 * Content-Length above it is refused before reading; a body that grows past it is cut and answered
 * 413 at once, whichever part it is in). Nothing is stored here.
 */
export async function readDatasetUpload(request: Request, options: ReadUploadOptions): Promise<DatasetUpload> {
  const { maxBytes, deadline, onProgress } = options;
  const { source, bb } = openMultipart(request, maxBytes);

  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let job: ParseJob | null = null;
    let parsing: Promise<ParseResult> | null = null;
    let fileName = "upload.csv";
    let settled = false;
    const timer = setTimeout(() => fail(new ApiError(408, "upload_timeout", "the upload took longer than an upload may (UPLOAD_TIMEOUT_SECONDS): send a smaller file or use a faster connection")), Math.max(0, deadline - Date.now()));
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      job?.abort(e);
      source.unpipe(bb);
      source.destroy();
      reject(e);
    };
    let received = 0;
    source.on("data", (chunk: Uint8Array) => {
      received += chunk.byteLength;
      if (received > maxBytes + MULTIPART_OVERHEAD) fail(payloadTooLarge(maxBytes));
    });
    bb.on("field", (name, value, info) => {
      if (info.valueTruncated) return fail(badForm(`field "${name}" is longer than 1024 bytes`));
      if (value.includes("\0")) return fail(badForm(`field "${name}" holds a NUL character`));
      fields[name] = value;
    });
    bb.on("file", (name, file, info) => {
      if (name !== "file" || parsing) {
        file.resume();
        return fail(badForm(`unexpected file field "${name}": send the CSV in the field "file"`));
      }
      let init: ParseInit;
      try {
        init = parseInit(info, fields, maxBytes);
      } catch (e) {
        file.resume();
        return fail(e);
      }
      fileName = info.filename ?? (init.kind === "text" ? "upload.txt" : "upload.csv");
      const limit = init.kind === "text" ? init.maxBytes : maxBytes;
      file.on("limit", () => fail(payloadTooLarge(limit)));
      file.pause(); // until the worker is there to take it
      parsing = ParseJob.start(init, { heapMb: parseHeapMb(limit), onProgress: (p) => onProgress?.({ ...p, phase: "receiving" }) }).then((j) => {
        job = j;
        if (settled) j.abort(new Error("the upload was refused before its parse started"));
        return parseFilePart(file, j, () => onProgress?.({ ...j.progress, phase: "finishing" }));
      });
      parsing.catch(fail);
    });
    bb.on("filesLimit", () => fail(badForm("send exactly one file")));
    bb.on("partsLimit", () => fail(badForm("too many form parts")));
    bb.on("error", (e) => fail(badForm(`malformed multipart body: ${(e as Error).message}`)));
    bb.on("close", () => {
      if (settled) return;
      if (!parsing) return fail(badForm('no file: send the CSV in the field "file"'));
      parsing.then((p) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ ...p, name: fields.name?.trim() || null, fileName, size: job?.progress.bytes ?? 0 });
      }, fail);
    });
    source.on("error", fail);
    source.pipe(bb);
  });
}
