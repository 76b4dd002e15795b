import { describe, expect, it } from "vitest";
import { describeProgress } from "./upload-request";

const MB = 1024 * 1024;

describe("describeProgress: the upload's progress bar", () => {
  it("shows the bytes sent until the server reports what it parsed, then those and the rows", () => {
    expect(describeProgress({ sent: 5 * MB, parsed: 0, rows: 0, phase: "sending" }, 50 * MB)).toEqual({ label: "Sending", value: 0.1, detail: "5.0 of 50.0 MB" });
    expect(describeProgress({ sent: 30 * MB, parsed: 25 * MB, rows: 120_000, phase: "receiving" }, 50 * MB)).toEqual({
      label: "Reading and checking",
      value: 0.5,
      detail: "25.0 of 50.0 MB · 120,000 rows",
    });
  });

  it("shows the server's last phases full", () => {
    expect(describeProgress({ sent: 50 * MB, parsed: 50 * MB, rows: 9, phase: "finishing" }, 50 * MB)).toMatchObject({ label: "Building the table", value: 1 });
    expect(describeProgress({ sent: 50 * MB, parsed: 50 * MB, rows: 9, phase: "storing" }, 50 * MB)).toMatchObject({ label: "Storing the dataset", value: 1 });
  });

  it("copes with an empty file", () => {
    expect(describeProgress({ sent: 0, parsed: 0, rows: 0, phase: "sending" }, 0).value).toBe(0);
  });
});
