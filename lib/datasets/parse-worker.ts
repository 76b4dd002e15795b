// The worker thread that parses one upload (started by ./parse-job.ts): chunks of the file arrive as
// messages, each is parsed at once and acknowledged (the acknowledgements are the upload's backpressure
// and its progress), and the end yields the dataset's blob, moved back without a copy. The request's
// event loop only forwards bytes. The text reader (and the zod its vocabulary module loads) is only
// loaded for a .txt, so a CSV's worker starts with little to evaluate.
import { parentPort, workerData } from "node:worker_threads";
import { CsvRejection, CsvTableReader } from "./csv";
import type { ParseInit, ParseRefusal, ParseResult, ToParent, ToWorker } from "./parse-job";
import { TextError } from "./text/errors";

type Session = { push(chunk: Uint8Array): void; rows(): number; finish(): ParseResult };

function csvSession(label: string): Session {
  const reader = new CsvTableReader(label);
  return { push: (c) => reader.push(c), rows: () => reader.rows, finish: () => ({ kind: "csv", ...reader.finish() }) };
}

async function textSession(init: Extract<ParseInit, { kind: "text" }>): Promise<Session> {
  const [{ TextUploadReader }, { encodeCorpus }] = await Promise.all([import("./text/upload"), import("./corpus-blob")]);
  const reader = new TextUploadReader({ mode: init.mode, maxBytes: init.maxBytes });
  let lines = 0;
  return {
    push(c) {
      reader.push(c);
      for (let i = c.indexOf(10); i >= 0; i = c.indexOf(10, i + 1)) lines++;
    },
    rows: () => lines,
    finish() {
      const { vocabulary, stats, mode, bytes, ...corpus } = reader.finish();
      return { kind: "text", blob: encodeCorpus({ ...corpus, vocabulary, stats }), vocabulary, stats, mode, bytes };
    },
  };
}

/** A refusal as the route answers it; anything else is a bug and escapes (the route answers 500). */
function refusal(e: unknown): ParseRefusal | null {
  if (e instanceof TextError) return { status: e.status, code: e.code, message: `the .txt file: ${e.message}`, details: e.details };
  if (e instanceof CsvRejection) return { status: e.status, code: e.code, message: e.message, details: e.details };
  return null;
}

const init = workerData as ParseInit;
const port = parentPort!;
const send = (m: ToParent, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

let refused = false;

function handle(session: Session, m: ToWorker): void {
  if (refused) return; // the parent is stopping this worker; chunks still queued are moot
  try {
    if (m.type === "chunk") {
      session.push(m.chunk);
      // The chunk's buffer goes back for the next chunk (nothing here keeps a view of it).
      const buffer = m.chunk.buffer as ArrayBuffer;
      send({ type: "ack", bytes: m.chunk.byteLength, rows: session.rows(), buffer }, [buffer]);
    } else {
      const result = session.finish();
      send({ type: "done", result }, [result.blob.buffer as ArrayBuffer]);
    }
  } catch (e) {
    const r = refusal(e);
    if (!r) throw e;
    refused = true;
    send({ type: "refused", refusal: r });
  }
}

// Messages are handled in order, once the session is ready.
let ready: Promise<Session> = init.kind === "csv" ? Promise.resolve(csvSession(init.label)) : textSession(init);
port.on("message", (m: ToWorker) => {
  ready = ready.then((session) => {
    handle(session, m);
    return session;
  });
  ready.catch((e: unknown) => {
    throw e; // a bug: the worker's "error" event, a 500
  });
});
