import { describe, expect, it } from "vitest";
import { CsvTableReader, MAX_CELL_BYTES, parseCsvBytes, type CsvTable } from "./csv";
import { decodeTable } from "./layout";

const utf8 = (s: string) => new TextEncoder().encode(s);
const parse = (s: string | Uint8Array, label = "species") => parseCsvBytes(typeof s === "string" ? utf8(s) : s, label);
const refusal = (s: string | Uint8Array, label = "species") => {
  try {
    parse(s, label);
  } catch (e) {
    return e as { status: number; code: string; message: string; details?: Record<string, unknown> };
  }
  throw new Error("not refused");
};
const rowsOf = (t: CsvTable) => {
  const d = decodeTable(t.blob);
  return Array.from({ length: d.rows }, (_, i) => [...Array.from(d.x.subarray(i * d.features, (i + 1) * d.features)), t.classNames[d.y[i]!]]);
};

describe("CsvTableReader: a CSV into a CXDS table as its bytes stream in", () => {
  it("reads the header, numeric features and the label column (anywhere), classes in a stable order", () => {
    const t = parse("a,species,b\n1,y,2\n3,x,4.5\n5,y,-6e-1\n");
    expect(t).toMatchObject({ rows: 3, features: 2, classes: 2, featureNames: ["a", "b"], classNames: ["x", "y"], labelColumn: "species" });
    expect(rowsOf(t)).toEqual([[1, 2, "y"], [3, 4.5, "x"], [5, Math.fround(-0.6), "y"]]);
    expect(t.mean[0]).toBeCloseTo(3, 6);
    expect(t.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 6);
  });

  it("orders numeric labels as numbers", () => {
    expect(parse("a,species\n1,10\n2,9\n3,100\n").classNames).toEqual(["9", "10", "100"]);
  });

  it("takes RFC 4180 quoting, a BOM, CRLF and CR line ends, blanks around fields and blank lines", () => {
    const t = parse('\uFEFF "a" , "sp""x" ,species\r\n\r\n 1 ,"2",  "x, ""quoted""\nlabel"  \r3,4,y\n   \n5,6,y');
    expect(t.featureNames).toEqual(["a", 'sp"x']);
    expect(t.classNames).toEqual(['x, "quoted"\nlabel', "y"]);
    expect(rowsOf(t).map((r) => r.slice(0, 2))).toEqual([[1, 2], [3, 4], [5, 6]]);
  });

  it("gives the same table however the bytes are cut into chunks (inside quotes, CRLFs, UTF-8 characters, the BOM)", () => {
    const bytes = utf8('\uFEFFé,"b ""q""",species\r\n1,2,"ü\r\nx"\r\n3,4,y\r\n5,6,"ü\r\nx"\n');
    const whole = parse(bytes);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const r = new CsvTableReader("species");
      r.push(bytes.subarray(0, cut));
      r.push(bytes.subarray(cut));
      expect(r.finish(), `cut at ${cut}`).toEqual(whole);
    }
    const r = new CsvTableReader("species");
    for (const b of bytes) r.push(Uint8Array.of(b));
    expect(r.finish()).toEqual(whole);
    expect(whole.featureNames).toEqual(["é", 'b "q"']);
  });

  it("fills many chunks of rows and keeps them in order", () => {
    const n = 300_000;
    const csv = `a,species\n${Array.from({ length: n }, (_, i) => `${i},${i % 2 ? "odd" : "even"}`).join("\n")}\n`;
    const t = parse(csv);
    const d = decodeTable(t.blob);
    expect(d.rows).toBe(n);
    expect([d.x[0], d.x[262_143], d.x[262_144], d.x[n - 1]]).toEqual([0, 262_143, 262_144, n - 1]);
    expect([d.y[0], d.y[1], d.y[n - 1]]).toEqual([0, 1, 1]);
  });

  const refusals: [string, string, string, number, Record<string, unknown>][] = [
    ["an empty file", "", "csv_empty", 422, {}],
    ["only blank lines", "\n \r\n\n", "csv_empty", 422, {}],
    ["a header without rows", "a,species\n", "csv_empty", 422, { line: 2 }],
    ["a row with too few cells", "a,b,species\n1,2,x\n3,4\n", "csv_ragged_row", 422, { line: 3, column: 3, header: "species" }],
    ["a row with too many cells", "a,b,species\n1,2,x,9\n", "csv_ragged_row", 422, { line: 2, column: 4 }],
    ["a non-numeric cell", "a,b,species\n1,2,x\n3,four,y\n", "csv_non_numeric", 422, { line: 3, column: 2, header: "b" }],
    ["an empty feature cell", "a,b,species\n1,,x\n", "csv_non_numeric", 422, { line: 2, column: 2 }],
    ["a number float32 cannot hold", "a,species\n1e39,x\n", "csv_non_numeric", 422, { line: 2, column: 1 }],
    ["an empty label", "a,species\n1,\n", "csv_malformed", 422, { line: 2, column: 2 }],
    ["a single class", "a,b,species\n1,2,x\n3,4,x\n", "csv_too_few_classes", 422, { column: 3 }],
    ["duplicated headers", "a,a,species\n1,2,x\n3,4,y\n", "csv_duplicate_header", 422, { line: 1, column: 2, header: "a" }],
    ["an empty column name", "a,,species\n1,2,x\n", "csv_malformed", 422, { line: 1, column: 2 }],
    ["no feature column", "species\nx\ny\n", "csv_malformed", 422, { line: 1 }],
    ["a quote inside an unquoted field", 'a,species\n1"2,x\n', "csv_malformed", 422, { line: 2, column: 1 }],
    ["text after a closing quote", 'a,species\n"1"2,x\n', "csv_malformed", 422, { line: 2, column: 1 }],
    ["a quote never closed", 'a,species\n1,"x\n2,y\n', "csv_malformed", 422, { line: 2, column: 2 }],
    ["a NUL byte in the header", "a\0,species\n1,x\n2,y\n", "csv_malformed", 400, { line: 1, offset: 1 }],
    ["a NUL byte in a label", "a,species\n1,x\n2,y\0\n", "csv_malformed", 400, { line: 3, offset: 17 }],
  ];
  for (const [what, csv, code, status, details] of refusals) {
    it(`refuses ${what}: ${status} ${code}`, () => {
      const e = refusal(csv);
      expect(e).toMatchObject({ status, code });
      expect(e.details ?? {}).toMatchObject(details);
      if (details.line) expect(e.message).toContain(`line ${details.line}`);
      if (details.column) expect(e.message).toContain(`column ${details.column}`);
    });
  }

  it("refuses a cell over MAX_CELL_BYTES and a header over MAX_FEATURES columns as soon as it gets there", () => {
    expect(refusal(`a,species\n${"1".repeat(MAX_CELL_BYTES + 1)},x\n`)).toMatchObject({ code: "csv_malformed", details: { line: 2, column: 1 } });
    const r = new CsvTableReader("species");
    expect(() => r.push(utf8(`${Array.from({ length: 20_000 }, (_, i) => `c${i}`).join(",")}`))).toThrow(/more than 10000 feature columns/);
  });

  it("bounds every value an error quotes, whatever the file holds", () => {
    const long = "n".repeat(200);
    const header = Array.from({ length: 10_000 }, (_, i) => `${long}${i}`).join(",");
    const missing = refusal(`${header}\n1\n`, `${"L".repeat(1000)}`);
    expect(missing.code).toBe("csv_missing_label");
    expect(missing.message.length).toBeLessThan(300);
    expect(missing.message).toMatch(/… \(10000 columns\)\)$/);
    const cell = refusal(`a,species\n${"9".repeat(100)}x,y\n`);
    expect(cell.code).toBe("csv_non_numeric");
    expect(cell.message.length).toBeLessThan(120);
    const dup = refusal(`${long},${long},species\n`);
    expect(dup.message.length).toBeLessThan(200);
    expect(JSON.stringify(dup.details).length).toBeLessThan(100);
  });
});
