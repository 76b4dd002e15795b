import { describe, expect, it } from "vitest";
import { ApiRequestError } from "@/lib/auth/client";
import { buildJobRequest, defaultFields, errorsByField } from "./new-job-request";

describe("buildJobRequest", () => {
  it("builds the body for a built-in dataset, without a normalisation and with the fee in wei", () => {
    const r = buildJobRequest({ source: "iris", scaling: "global", fields: { ...defaultFields, hidden: "32, 16,", fee: "12.5" } });
    expect(r).toEqual({
      body: {
        dataset: "iris",
        model: { kind: "mlp", hidden: [32, 16], activation: "relu" },
        hyper: { rounds: 5, shards: 8, localSteps: 20, batch: 32, learningRate: 0.05, outerLearningRate: 1, outerMomentum: 0, seed: 42 },
        redundancy: 2,
        spotCheckRate: 0.05,
        minTier: 0,
        fee: "12500000000000000000",
      },
    });
  });

  it("sends an uploaded CSV's id with the chosen scaling", () => {
    const r = buildJobRequest({ source: "csv", uploadedId: "ds-1", scaling: "global", fields: defaultFields });
    expect(r).toMatchObject({ body: { dataset: "ds-1", normalisation: "global" } });
  });

  it("asks for the upload first when the CSV is not uploaded", () => {
    expect(buildJobRequest({ source: "csv", scaling: "per-feature", fields: defaultFields })).toEqual({ errors: { dataset: "upload the CSV first" } });
  });

  it("reads an empty fee as 0 and rejects one that is not a CXT amount or is negative", () => {
    expect(buildJobRequest({ source: "mnist", scaling: "per-feature", fields: { ...defaultFields, fee: " " } })).toMatchObject({ body: { fee: "0" } });
    for (const fee of ["ten", "-1"]) {
      expect(buildJobRequest({ source: "mnist", scaling: "per-feature", fields: { ...defaultFields, fee } })).toEqual({ errors: { fee: "a CXT amount, e.g. 0 or 12.5" } });
    }
  });
});

describe("errorsByField", () => {
  it("puts each detail under the last part of its path and the message under form", () => {
    const e = new ApiRequestError(400, "invalid_request", "invalid job", [{ path: "hyper.rounds", message: "too small" }, { path: "", message: "bad" }]);
    expect(errorsByField(e)).toEqual({ form: "bad", rounds: "too small" });
  });

  it("shows any other error's message on the form", () => {
    expect(errorsByField(new Error("offline"))).toEqual({ form: "offline" });
  });
});
