// `node --import tsx --import ./scripts/lib/outside-next.mjs <script>`: loads server modules the way the
// unit tests do (vitest.config.ts aliases `server-only` to an empty module) for a script that needs the
// server's definitions but is neither a React Server Component nor a server: `server-only` is a
// no-op, and React keeps its full (client) API, which `--conditions=react-server` removes from modules
// such as lib/chain/client that the OpenAPI document's imports reach.
import { register } from "node:module";

register(
  "data:text/javascript," +
    encodeURIComponent(`export async function resolve(specifier, context, next) {
  if (specifier === "server-only") return { url: "data:text/javascript,export {}", shortCircuit: true };
  return next(specifier, context);
}`),
);
