// Classified refusals of text data. Isomorphic (no server imports), so the tokenizer can throw them in a
// browser too. An API route maps one to its HTTP answer with `new ApiError(e.status, e.code, e.message,
// e.details)` once lib/api/errors.ts lists these codes (`textErrorCodes` below is that list).

export const textErrorCodes = [
  /** The file is over the upload limit (413). */
  "text_too_large",
  /** NUL bytes or invalid UTF-8: not a text file (422). */
  "text_binary",
  /** No characters / no non-blank line (422). */
  "text_empty",
  /** More distinct characters than a vocabulary may hold (422). */
  "text_vocabulary",
  /** Too little text to give both a training and a validation split (422). */
  "text_too_small",
  /** A character the vocabulary does not hold, met by `encode` (422). */
  "text_unknown_character",
] as const;

export type TextErrorCode = (typeof textErrorCodes)[number];

export class TextError extends Error {
  readonly status: 413 | 422;
  constructor(
    readonly code: TextErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "TextError";
    this.status = code === "text_too_large" ? 413 : 422;
  }
}

/** A character for a message: printable ones as themselves, others as U+XXXX. */
export function showChar(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || c.trim() === "" ? hex : `"${c}" (${hex})`;
}
