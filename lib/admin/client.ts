// The isomorphic public surface of lib/admin: what browser code (and the server) may import.
export type { AdminSeries } from "./types";
