import "server-only";

export { readCsvUpload } from "./upload";
export { parseCsv, CsvRejection, type ParsedCsv } from "./csv";
export { datasetView, ensureBuiltinDataset, listDatasets, loadTable, resolveDataset, saveUploadedDataset, type DatasetView } from "./service";
export { builtinNames, type BuiltinName } from "./builtin";
export { decodeTable, encodeTable, featureStats, HEADER_BYTES, takeRows, type Table } from "./layout";
export { HELD_OUT_FRACTION, mulberry32, permutation, splitTable, type Split } from "./split";
