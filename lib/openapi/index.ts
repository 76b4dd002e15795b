export { openApiDocument } from "./document";
export { operations, type Operation } from "./operations";
