import { describe, expect, it } from "vitest";
import { mulberry32 } from "./split";
import { parseNumber } from "./csv-number";

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** What the upload did before it parsed bytes: the regular expression, then `Number`. */
const reference = (s: string) => (NUMBER_RE.test(s) ? Number(s) : NaN);
const bytes = (s: string) => new TextEncoder().encode(s);

describe("parseNumber: a CSV cell's number from its bytes", () => {
  it("agrees with Number() on the cells the number pattern accepts, and is NaN on the others", () => {
    const cases = [
      "0", "-0", "+0", "00", "007", "1", "-1", "+1", "1.", ".5", "-.5", "1.5", "0.1", "0.3", "1e5", "1E5", "1e+5", "1e-5", "1.e3", "-2.5e-3",
      "123456789012345", "1234567890123456", "12345678901234567890", "0.000000000000000000001", "9007199254740993", "1e22", "1e23", "1e-22", "1e-23",
      "1e999", "-1e999", "1e-999", "4.9e-324", "1.7976931348623157e308", "3.4028235e38", "0.1234567890123456789",
      "", "+", "-", ".", "e5", ".e5", "1e", "1e+", "1ee5", "1.2.3", "--1", "+-1", "0x10", "1_000", " 1", "1 ", "NaN", "Infinity", "1,5", "١",
    ];
    for (const s of cases) expect(Object.is(parseNumber(bytes(s)), reference(s)) || (Number.isNaN(parseNumber(bytes(s))) && Number.isNaN(reference(s))), s).toBe(true);
  });

  it("agrees with Number() on 200,000 random decimal strings, bit for bit", () => {
    const next = mulberry32(7);
    const rand = () => next() / 2 ** 32;
    const pick = (chars: string) => chars[Math.floor(rand() * chars.length)]!;
    for (let n = 0; n < 200_000; n++) {
      let s = rand() < 0.3 ? pick("+-") : "";
      const intDigits = Math.floor(rand() * 12);
      for (let i = 0; i < intDigits; i++) s += pick("0123456789");
      if (rand() < 0.7) s += ".";
      const fracDigits = Math.floor(rand() * 14);
      for (let i = 0; i < fracDigits; i++) s += pick("0123456789");
      if (rand() < 0.3) s += `${pick("eE")}${rand() < 0.5 ? pick("+-") : ""}${Math.floor(rand() * 40)}`;
      const got = parseNumber(bytes(s));
      const want = reference(s);
      if (!(Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want)))) expect(got, s).toBe(want);
    }
  });

  it("reads a prefix of the buffer when given a length", () => {
    expect(parseNumber(bytes("12.5xyz"), 4)).toBe(12.5);
  });
});
