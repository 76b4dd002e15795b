import { describe, expect, it } from "vitest";
import { buildPublishRequest } from "./publish-request";

const ok = { title: "Colours", description: "# hi", license: "cc-by-4.0", share: "10", supersedes: "" };

describe("buildPublishRequest", () => {
  it("turns a percentage into basis points and spells the licence as SPDX does", () => {
    expect(buildPublishRequest(ok)).toEqual({ body: { title: "Colours", description: "# hi", license: "CC-BY-4.0", feeBps: 1000 } });
    expect(buildPublishRequest({ ...ok, share: "2.5" })).toMatchObject({ body: { feeBps: 250 } });
  });

  it("names each bad field in words before anything is uploaded", () => {
    expect(buildPublishRequest({ ...ok, license: "Free-For-All" })).toEqual({ errors: { license: expect.stringMatching(/^Licence: not an SPDX licence identifier/) } });
    expect(buildPublishRequest({ ...ok, share: "31" })).toEqual({ errors: { share: "Fee share must be between 0 and 30%" } });
    expect(buildPublishRequest({ ...ok, share: "ten" })).toEqual({ errors: { share: "Fee share must be a number of percent, e.g. 10" } });
    expect(buildPublishRequest({ ...ok, share: "1.234" })).toEqual({ errors: { share: "Fee share has at most two decimals (basis points)" } });
    expect(buildPublishRequest({ ...ok, title: " " })).toEqual({ errors: { title: "Title: give the dataset a title" } });
    expect(buildPublishRequest({ ...ok, description: "x".repeat(20 * 1024 + 1) })).toEqual({ errors: { description: "Description: at most 20 KB of Markdown" } });
  });
});
