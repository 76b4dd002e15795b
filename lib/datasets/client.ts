// The isomorphic public surface of lib/datasets: what browser code (and the server) may import.
export { normalisationKinds } from "./normalisation";
export type { NormalisationKind } from "./normalisation";
export { decodeTable, decodeTableRaw, encodeTable, fitsU8 } from "./layout";
export type { FeatureDtype, RawTable } from "./layout";
export { decodeTokenShard, encodeTokenShard } from "./text/shard";
export { UPLOAD_ID_HEADER } from "./upload-id";
export type { UploadStatus } from "./schemas";
export { canonicalLicense, catalogueSorts, datasetKinds, licenseIds, MAX_DESCRIPTION_BYTES, MAX_FEE_BPS, publishDatasetSchema } from "./catalogue-schemas";
export type { CatalogueDetail, CatalogueEntry, DatasetProfile, PublishDatasetInput } from "./catalogue-schemas";
