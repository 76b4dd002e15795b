import { describe, expect, it } from "vitest";
import { ApiRequestError } from "@/lib/auth/client";
import { buildJobRequest, defaultFields, errorsByField, fieldsForTask, inWords, languageDefaults } from "./new-job-request";

describe("buildJobRequest", () => {
  it("builds the body for a built-in dataset, without a normalisation and with the fee in wei", () => {
    const r = buildJobRequest({ task: "classifier", source: "iris", scaling: "global", fields: { ...defaultFields, hidden: "32, 16,", fee: "12.5" } });
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
    const r = buildJobRequest({ task: "classifier", source: "csv", uploadedId: "ds-1", scaling: "global", fields: defaultFields });
    expect(r).toMatchObject({ body: { dataset: "ds-1", normalisation: "global" } });
  });

  it("sends the id of a dataset chosen from its card (mine or published), with the server's default scaling", () => {
    const r = buildJobRequest({ task: "classifier", source: "dataset", datasetId: "ds-9", scaling: "global", fields: defaultFields });
    expect(r).toMatchObject({ body: { dataset: "ds-9" } });
    expect("body" in r && "normalisation" in r.body).toBe(false);
    expect(buildJobRequest({ task: "classifier", source: "dataset", scaling: "global", fields: defaultFields })).toEqual({ errors: { dataset: "choose a dataset" } });
  });

  it("asks for the upload first when the CSV is not uploaded", () => {
    expect(buildJobRequest({ task: "classifier", source: "csv", scaling: "per-feature", fields: defaultFields })).toEqual({ errors: { dataset: "upload the CSV first" } });
  });

  it("reads an empty fee as 0 and rejects one that is not a CXT amount or is negative", () => {
    expect(buildJobRequest({ task: "classifier", source: "mnist", scaling: "per-feature", fields: { ...defaultFields, fee: " " } })).toMatchObject({ body: { fee: "0" } });
    for (const fee of ["ten", "-1"]) {
      expect(buildJobRequest({ task: "classifier", source: "mnist", scaling: "per-feature", fields: { ...defaultFields, fee } })).toEqual({ errors: { fee: "a CXT amount, e.g. 0 or 12.5" } });
    }
  });
});

describe("buildJobRequest for a language model", () => {
  const language = fieldsForTask("language", defaultFields);

  it("builds a gpt body on a built-in text dataset: the model's shape as numbers, the names demo's training values, no normalisation", () => {
    const r = buildJobRequest({ task: "language", source: "names", scaling: "global", fields: { ...language, layers: "3", heads: "2", dim: "32", context: "24" } });
    expect(r).toEqual({
      body: {
        dataset: "names",
        model: { kind: "gpt", layers: 3, heads: 2, dim: 32, context: 24 },
        hyper: { rounds: 10, shards: 4, localSteps: 25, batch: 16, learningRate: 0.003, outerLearningRate: 0.7, outerMomentum: 0.9, seed: 42 },
        redundancy: 2,
        spotCheckRate: 0.05,
        minTier: 0,
        fee: "0",
      },
    });
  });

  it("sends an uploaded .txt's id, without a normalisation", () => {
    const r = buildJobRequest({ task: "language", source: "txt", uploadedId: "ds-txt", scaling: "per-feature", fields: language });
    expect(r).toMatchObject({ body: { dataset: "ds-txt", model: { kind: "gpt", layers: 2, heads: 4, dim: 64, context: 16 } } });
    expect((r as { body: object }).body).not.toHaveProperty("normalisation");
  });

  it("asks for the .txt first when it is not uploaded, and checks the fee as for a classifier", () => {
    expect(buildJobRequest({ task: "language", source: "txt", scaling: "per-feature", fields: language })).toEqual({ errors: { dataset: "upload the .txt first" } });
    expect(buildJobRequest({ task: "language", source: "brown", scaling: "per-feature", fields: { ...language, fee: "-2" } })).toEqual({ errors: { fee: "a CXT amount, e.g. 0 or 12.5" } });
  });
});

describe("fieldsForTask", () => {
  it("gives a language model the names demo's training values and keeps everything else typed", () => {
    const typed = { ...defaultFields, hidden: "8", fee: "3", seed: "7", layers: "4" };
    expect(fieldsForTask("language", typed)).toEqual({ ...typed, ...languageDefaults });
  });

  it("gives a classifier the defaults again, keeping the creator's fee and seed", () => {
    const typed = { ...fieldsForTask("language", defaultFields), fee: "3", seed: "7", layers: "4" };
    expect(fieldsForTask("classifier", typed)).toEqual({ ...defaultFields, fee: "3", seed: "7" });
  });
});

describe("errorsByField", () => {
  it("puts each detail under the last part of its path and the message under form", () => {
    const e = new ApiRequestError(400, "invalid_request", "invalid job", [{ path: "hyper.rounds", message: "too small" }, { path: "", message: "bad" }]);
    expect(errorsByField(e)).toEqual({ form: "Check the form: Rounds R too small. bad", rounds: "too small" });
  });

  it("words zod's messages as the creator reads them, naming the field by its label", () => {
    const e = new ApiRequestError(400, "validation_failed", "body.hyper.rounds: Too small: expected number to be >=1", [{ path: "body.hyper.rounds", message: "Too small: expected number to be >=1" }]);
    expect(errorsByField(e)).toEqual({ form: "Check the form: Rounds R must be at least 1.", rounds: "must be at least 1" });
    expect(inWords("Too big: expected number to be <=1000")).toBe("must be at most 1000");
    expect(inWords("Invalid input: expected number, received NaN")).toBe("must be a number");
  });

  it("shows any other error's message on the form", () => {
    expect(errorsByField(new Error("offline"))).toEqual({ form: "offline" });
  });
});
