import { describe, expect, it } from "vitest";
import { ApiRequestError } from "@/lib/auth/client";
import { uploadErrorInWords } from "./upload-errors";

describe("the model upload form's error sentences", () => {
  const max = 200_000_000;
  it("keeps the server's message, which names the tensor or field, and says nothing was stored", () => {
    const e = new ApiRequestError(400, "validation_failed", 'tensor "layers.0.weight": shape [4, 9] is not the config\'s [4, 8]');
    expect(uploadErrorInWords(e, max)).toBe('The model was refused and nothing was stored: tensor "layers.0.weight": shape [4, 9] is not the config\'s [4, 8]');
  });
  it("says the limit for 413, and what happened for a network failure or a server error", () => {
    expect(uploadErrorInWords(new ApiRequestError(413, "payload_too_large", "too large"), max)).toMatch(/^The file is larger than the 200(\.0)? MB limit/);
    expect(uploadErrorInWords(new TypeError("Failed to fetch"), max)).toBe("The upload did not reach the server: Failed to fetch.");
    expect(uploadErrorInWords(new ApiRequestError(500, "internal", "boom"), max)).toBe("The server could not store the model (500): boom");
  });
});
