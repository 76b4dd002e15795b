// Validation of an uploaded UTF-8 .txt for a GPT job. Isomorphic (TextDecoder only): a page can check a
// file before sending it, and a route can feed the request body through it chunk by chunk.
//
// Refusals (TextError, ./errors.ts), checked while the bytes stream in where they can be:
// - text_too_large (413): more than `maxBytes` (50 MB) — counted before decoding, so it stops early.
// - text_binary: a NUL byte or a byte sequence that is not UTF-8 (the offset of the first one is named).
// - text_vocabulary: more than `maxVocabulary` (256) distinct characters counting the boundary "\n";
//   noticed at the first character past the limit.
// - text_empty: nothing but whitespace (in "lines" mode: no non-blank line).
// - text_too_small: the split leaves the training or the validation stream without a token pair.
// Text is normalised before use: a leading byte-order mark is dropped, "\r\n" and lone "\r" become "\n".
//
// Modes: "lines" — every non-blank line is one example (names, titles…), split by example;
// "stream" — the text as it is, its last 10 % held out (lib/datasets/text/corpus.ts).
//
// Memory: the reader keeps the decoded chunks (≈ 2 bytes per character) and, when finishing, joins and
// normalises them into one string and builds the two split streams: at most about four copies of the
// text at once, none of them of the raw bytes (the caller may drop each chunk once pushed).
import { assertUsable, corpusFromExamples, corpusFromStream, type TextCorpus } from "./corpus";
import { showChar, TextError } from "./errors";
import { BOUNDARY, MAX_VOCABULARY } from "./vocab";

/** The default of MAX_UPLOAD_BYTES (lib/env.ts); a route passes its configured limit as `maxBytes`. */
export const MAX_TEXT_BYTES = 50 * 1024 * 1024;
export const textModes = ["lines", "stream"] as const;
export type TextMode = (typeof textModes)[number];

export type TextUploadOptions = { mode: TextMode; maxBytes?: number; maxVocabulary?: number };
export type ParsedText = TextCorpus & { mode: TextMode; bytes: number };

export class TextUploadReader {
  private readonly decoder = new TextDecoder("utf-8", { fatal: true });
  private readonly pieces: string[] = [];
  /** Code points seen (a bitmap over all of Unicode: 136 KB, cheaper than a Set on every character). */
  private readonly seen = new Uint8Array(0x110000 >> 3);
  private distinct = 1; // the boundary "\n" is always in the vocabulary
  private bytes = 0;
  private done = false;
  readonly maxBytes: number;
  readonly maxVocabulary: number;

  constructor(readonly options: TextUploadOptions) {
    this.maxBytes = options.maxBytes ?? MAX_TEXT_BYTES;
    this.maxVocabulary = options.maxVocabulary ?? MAX_VOCABULARY;
    this.mark(0x0a);
    this.mark(0x0d); // "\r" becomes "\n"
  }

  private mark(cp: number): boolean {
    const bit = 1 << (cp & 7);
    if (this.seen[cp >> 3]! & bit) return false;
    this.seen[cp >> 3]! |= bit;
    return true;
  }

  push(chunk: Uint8Array): void {
    if (this.done) throw new Error("push after finish");
    if (this.bytes + chunk.byteLength > this.maxBytes) {
      throw new TextError("text_too_large", `the file is over ${this.maxBytes.toLocaleString("en")} bytes`, { maxBytes: this.maxBytes });
    }
    const nul = chunk.indexOf(0);
    if (nul >= 0) throw new TextError("text_binary", `a NUL byte at offset ${this.bytes + nul}: not a text file`, { offset: this.bytes + nul });
    this.decode(chunk, true);
    this.bytes += chunk.byteLength;
  }

  private decode(chunk: Uint8Array, stream: boolean): void {
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream });
    } catch {
      throw new TextError("text_binary", chunk.byteLength === 0
          ? "the file is not UTF-8 (it ends inside a multi-byte character)"
          : `the file is not UTF-8 (an invalid byte sequence between bytes ${this.bytes.toLocaleString("en")} and ${(this.bytes + chunk.byteLength).toLocaleString("en")})`, {
        from: this.bytes,
        to: this.bytes + chunk.byteLength,
      });
    }
    if (text === "") return;
    // A leading BOM never gets here (TextDecoder strips it); one further on is a character like any other.
    const seen = this.seen;
    for (let i = 0; i < text.length; i++) {
      let cp = text.charCodeAt(i);
      if (cp >= 0xd800 && cp <= 0xdbff) {
        cp = text.codePointAt(i)!;
        if (cp > 0xffff) i++;
      }
      const bit = 1 << (cp & 7);
      if (seen[cp >> 3]! & bit) continue;
      seen[cp >> 3]! |= bit;
      if (++this.distinct > this.maxVocabulary) {
        throw new TextError(
          "text_vocabulary",
          `more than ${this.maxVocabulary} distinct characters (number ${this.distinct} is ${showChar(String.fromCodePoint(cp))}): a character vocabulary holds at most ${this.maxVocabulary}, the line break included`,
          { maxVocabulary: this.maxVocabulary },
        );
      }
    }
    this.pieces.push(text);
  }

  finish(): ParsedText {
    if (this.done) throw new Error("finish twice");
    this.decode(new Uint8Array(0), false);
    this.done = true;
    const text = this.pieces.join("").replace(/\r\n?/g, BOUNDARY);
    this.pieces.length = 0;
    if (text.trim() === "") throw new TextError("text_empty", this.bytes === 0 ? "the file is empty" : "the file holds only whitespace");
    const corpus = this.options.mode === "lines" ? corpusFromExamples(text.split(BOUNDARY).filter((l) => l.trim() !== "")) : corpusFromStream(text);
    assertUsable(corpus);
    return { ...corpus, mode: this.options.mode, bytes: this.bytes };
  }
}

/** A whole file at once. */
export function parseTextUpload(bytes: Uint8Array, options: TextUploadOptions): ParsedText {
  const reader = new TextUploadReader(options);
  reader.push(bytes);
  return reader.finish();
}

/**
 * A file as it streams in (a request body, `file.stream()`, any async iterable of chunks): stops reading at
 * the first refusal.
 */
export async function readTextUpload(source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>, options: TextUploadOptions): Promise<ParsedText> {
  const reader = new TextUploadReader(options);
  // Node's and newer browsers' ReadableStreams are async iterable too; older browsers' are not.
  if (typeof (source as Partial<AsyncIterable<Uint8Array>>)[Symbol.asyncIterator] === "function") {
    for await (const chunk of source as AsyncIterable<Uint8Array>) reader.push(chunk);
    return reader.finish();
  }
  const r = (source as ReadableStream<Uint8Array>).getReader();
  try {
    for (;;) {
      const { done, value } = await r.read();
      if (done) break;
      reader.push(value);
    }
  } catch (e) {
    await r.cancel().catch(() => {});
    throw e;
  } finally {
    r.releaseLock();
  }
  return reader.finish();
}
