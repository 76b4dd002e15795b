import path from "node:path";
import { defineConfig } from "prisma/config";

// Prisma 7 does not read .env: DATABASE_URL comes from the environment (the default matches the
// embedded Postgres that `npm run dev` starts).
export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  datasource: { url: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" },
});
