import "server-only";

export { readDatasetUpload, type DatasetUpload } from "./upload";
export { uploadDataset, type UploadLimits } from "./upload-dataset";
export { uploadStatus } from "./upload-progress";
export { CsvRejection, CsvTableReader, parseCsvBytes, type CsvTable } from "./csv";
export { datasetView, ensureBuiltinDataset, listDatasets, loadTable, providerTerms, resolveDataset, saveUploadedDataset, type DatasetView } from "./service";
export { builtinNames, builtinNormalisation, type BuiltinName } from "./builtin";
export { builtinTextIds, builtinTextNames, ensureBuiltinTextDataset, loadBuiltinText, isTextDataset, loadCorpus, saveUploadedText, type BuiltinTextName } from "./text-datasets";
export { bigramWindowsLoss, createTokenizer, encodeTokenShard, fitBigram, shardWindows, windowsOf, readTextUpload, TextError, MAX_VOCABULARY, BOUNDARY_ID, type TextCorpus, type TokenShard } from "./text";
export { normalisationKinds, normalisationOf, type Normalisation, type NormalisationKind } from "./normalisation";
export { decodeTable, decodeTableRaw, encodeTable, featureStats, fitsU8, HEADER_BYTES, takeRows, type RawTable, type Table } from "./layout";
export { HELD_OUT_FRACTION, mulberry32, permutation, splitTable, type Split } from "./split";
export { datasetListSchema, datasetSchema, datasetUploadSchema, UPLOAD_ID_HEADER, uploadParamsSchema, uploadStatusSchema, type UploadStatus } from "./schemas";
export { catalogueLicenses, earningsByDataset, getCatalogueDataset, listCatalogue, providerEarnings, publishDataset, unlistDataset } from "./catalogue";
export {
  catalogueDetailSchema, catalogueEntrySchema, catalogueListSchema, catalogueQuerySchema, datasetParamsSchema, earningsQuerySchema, providerEarningsSchema, publishDatasetSchema,
  type CatalogueDetail, type CatalogueEntry, type CatalogueQuery, type DatasetProfile, type ProviderEarnings,
} from "./catalogue-schemas";
