import { describe, expect, it } from "vitest";
import { TextError, type TextErrorCode } from "./errors";
import { parseTextUpload, readTextUpload, TextUploadReader } from "./upload";
import { createTokenizer } from "./vocab";

const utf8 = (s: string) => new TextEncoder().encode(s);
const names = Array.from({ length: 300 }, (_, i) => `name${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + ((i * 7) % 26))}`).join("\n");

function refusal(run: () => unknown): TextError {
  try {
    run();
  } catch (e) {
    if (e instanceof TextError) return e;
    throw e;
  }
  throw new Error("expected a TextError");
}
const codeOf = (run: () => unknown): TextErrorCode => refusal(run).code;

async function* chunks(bytes: Uint8Array, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe("uploaded text", () => {
  it("lines mode: every non-blank line is an example; CRLF, CR and a BOM are normalised", () => {
    const text = "\ufeff" + names.replace(/\n/g, (_, i: number) => (i % 3 === 0 ? "\r\n" : i % 3 === 1 ? "\r" : "\n\n  \n"));
    const parsed = parseTextUpload(utf8(text), { mode: "lines" });
    expect(parsed.mode).toBe("lines");
    expect(parsed.bytes).toBe(utf8(text).byteLength);
    expect(parsed.stats.trainExamples + parsed.stats.validationExamples + parsed.stats.droppedValidationExamples).toBe(300);
    expect(parsed.train.includes("\r")).toBe(false);
    expect(parsed.train.includes("\ufeff")).toBe(false);
    expect(parsed.train.includes("\n\n")).toBe(false);
    expect(parsed.vocabulary[0]).toBe("\n");
    expect(parseTextUpload(utf8(names), { mode: "lines" })).toEqual({ ...parsed, bytes: utf8(names).byteLength });
  });

  it("stream mode: the text as it is, its tail held out", () => {
    const text = "the cat sat on the mat.\n".repeat(40);
    const parsed = parseTextUpload(utf8(text), { mode: "stream" });
    expect(parsed.train + parsed.validation).toBe(text);
    expect(parsed.validation).toBe("the cat sat on the mat.\n".repeat(4));
    const tok = createTokenizer(parsed.vocabulary);
    expect(tok.decode(tok.encode(parsed.validation))).toBe(parsed.validation);
  });

  it("reads a stream in chunks that split multi-byte characters, with the same result", async () => {
    const text = "héllo wörld 𝄞 ünïcode\n".repeat(30);
    const bytes = utf8(text);
    const whole = parseTextUpload(bytes, { mode: "stream" });
    expect(await readTextUpload(chunks(bytes, 3), { mode: "stream" })).toEqual(whole);
    expect(whole.vocabulary).toContain("𝄞");
    // A web ReadableStream (a request body) read through its reader, cancelled at a refusal.
    const web = (b: Uint8Array) => new ReadableStream<Uint8Array>({ pull: (c) => c.close(), start: (c) => { for (let i = 0; i < b.length; i += 5) c.enqueue(b.slice(i, i + 5)); } });
    const noIterator = (b: Uint8Array) => Object.assign(web(b), { [Symbol.asyncIterator]: undefined }) as unknown as ReadableStream<Uint8Array>;
    expect(await readTextUpload(noIterator(bytes), { mode: "stream" })).toEqual(whole);
    expect(await readTextUpload(web(bytes), { mode: "stream" })).toEqual(whole);
    await expect(readTextUpload(noIterator(Uint8Array.of(...bytes, 0)), { mode: "stream" })).rejects.toMatchObject({ code: "text_binary" });
  });

  it("refuses binary data: a NUL byte, invalid UTF-8, or a file cut inside a character", async () => {
    const nul = refusal(() => parseTextUpload(Uint8Array.of(0x61, 0x62, 0x00, 0x63), { mode: "stream" }));
    expect([nul.code, nul.status, nul.details]).toEqual(["text_binary", 422, { offset: 2 }]);
    expect(codeOf(() => parseTextUpload(Uint8Array.of(0x61, 0xff, 0x62), { mode: "stream" }))).toBe("text_binary");
    expect(codeOf(() => parseTextUpload(Uint8Array.of(0x61, 0x62, 0xe2, 0x82), { mode: "stream" }))).toBe("text_binary");
    await expect(readTextUpload(chunks(Uint8Array.of(...utf8("abc\n".repeat(10)), 0x89, 0x50, 0x4e, 0x47), 4), { mode: "lines" })).rejects.toMatchObject({ code: "text_binary" });
  });

  it("refuses an empty or blank file", () => {
    const empty = refusal(() => parseTextUpload(new Uint8Array(0), { mode: "lines" }));
    expect([empty.code, empty.message]).toEqual(["text_empty", "the file is empty"]);
    expect(codeOf(() => parseTextUpload(utf8(" \n\r\n\t\n"), { mode: "lines" }))).toBe("text_empty");
    expect(codeOf(() => parseTextUpload(utf8("\ufeff\n\n"), { mode: "stream" }))).toBe("text_empty");
  });

  it("refuses a file over the size limit before decoding it (413)", () => {
    const e = refusal(() => parseTextUpload(utf8("a".repeat(101)), { mode: "stream", maxBytes: 100 }));
    expect([e.code, e.status]).toEqual(["text_too_large", 413]);
    const reader = new TextUploadReader({ mode: "stream", maxBytes: 100 });
    reader.push(utf8("a".repeat(60)));
    expect(codeOf(() => reader.push(utf8("a".repeat(41))))).toBe("text_too_large");
    expect(() => parseTextUpload(utf8(("a".repeat(9) + "\n").repeat(10)), { mode: "stream", maxBytes: 100 })).not.toThrow();
  });

  it("refuses more distinct characters than the vocabulary may hold, the line break counted", () => {
    const chars = (n: number) => Array.from({ length: n }, (_, i) => String.fromCodePoint(0x100 + i)).join("");
    // 255 characters + "\n" = 256: allowed; one more is refused, naming it.
    const ok = (chars(255) + "\n").repeat(20);
    expect(parseTextUpload(utf8(ok), { mode: "stream" }).vocabulary.length).toBe(256);
    const e = refusal(() => parseTextUpload(utf8((chars(256) + "\n").repeat(20)), { mode: "stream" }));
    expect(e.code).toBe("text_vocabulary");
    expect(e.message).toContain("U+01FF");
    expect(codeOf(() => parseTextUpload(utf8("abcd\r\n"), { mode: "lines", maxVocabulary: 4 }))).toBe("text_vocabulary");
    expect(() => parseTextUpload(utf8("abc\r\nabc\r\ncab\n".repeat(20)), { mode: "stream", maxVocabulary: 4 })).not.toThrow(); // "\r" is the boundary
  });

  it("refuses text too small to split", () => {
    const e = refusal(() => parseTextUpload(utf8("abc\n"), { mode: "lines" }));
    expect(e.code).toBe("text_too_small");
    expect(codeOf(() => parseTextUpload(utf8("a"), { mode: "stream" }))).toBe("text_too_small");
  });
});
