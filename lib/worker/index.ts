// The volunteer worker for Node (the CLI worker, benches): the browser-safe surface plus the folder cache.
export * from "./client";
export { fsBlobCache } from "./fs-cache";
