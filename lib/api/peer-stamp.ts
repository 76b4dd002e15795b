import http from "node:http";
import https from "node:https";
import { markPeerStampInstalled, PEER_HEADER } from "./client-address";

const PATCHED = Symbol.for("corex.peer-stamp.patched");

/**
 * Makes every HTTP(S) server of this process write its TCP peer's address into PEER_HEADER of each
 * request before any listener sees it, replacing whatever the client sent under that name. Installed
 * once, at start-up, by instrumentation-node.ts (Next builds the route handlers' Requests from these
 * headers); `clientAddress` reads PEER_HEADER only once this has run.
 */
export function stampPeerAddresses(): void {
  const g = globalThis as Record<symbol, unknown>;
  if (g[PATCHED]) return;
  g[PATCHED] = true;
  for (const proto of [http.Server.prototype, https.Server.prototype] as { emit: (event: string | symbol, ...args: unknown[]) => boolean }[]) {
    const emit = proto.emit;
    proto.emit = function (this: unknown, event, ...args) {
      if (event === "request" || event === "checkContinue") {
        const req = args[0] as http.IncomingMessage;
        req.headers[PEER_HEADER] = req.socket?.remoteAddress ?? "";
      }
      return emit.call(this, event, ...args);
    };
  }
  markPeerStampInstalled();
}
