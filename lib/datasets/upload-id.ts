// The name a client gives its upload (no zod here: the browser bundle imports it through ./client.ts).

/** The request header in which a client names its upload, to poll GET /api/datasets/uploads/{id}. */
export const UPLOAD_ID_HEADER = "x-upload-id";
export const UPLOAD_ID_RE = /^[A-Za-z0-9_-]{8,64}$/;
