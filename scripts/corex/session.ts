// Where `corex login` keeps its sessions: `$XDG_CONFIG_HOME/corex/sessions.json` (else
// ~/.config/corex), one per API origin, readable by the user only (0600, its folder 0700): a session
// cookie acts as the wallet towards the API until it expires.
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

export type Session = { address: string; cookie: string; expiresAt: string; chainId: number };

export const configDir = (xdgConfigHome: string | undefined) => path.join(xdgConfigHome ?? path.join(os.homedir(), ".config"), "corex");
export const sessionsFile = (dir: string) => path.join(dir, "sessions.json");

export async function readSessions(dir: string): Promise<Record<string, Session>> {
  try {
    return JSON.parse(await readFile(sessionsFile(dir), "utf8")) as Record<string, Session>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new Error(`${sessionsFile(dir)} is unreadable (${(e as Error).message}): delete it and run \`corex login\` again`);
  }
}

/** The live session for `origin`, or null (none, or expired). */
export async function sessionFor(dir: string, origin: string): Promise<Session | null> {
  const s = (await readSessions(dir))[origin];
  return s && Date.parse(s.expiresAt) > Date.now() ? s : null;
}

async function write(dir: string, sessions: Record<string, Session>) {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const file = sessionsFile(dir);
  // Written whole to a private temporary file, then renamed: never a moment with the cookie world-readable or half written.
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(sessions, null, 2)}\n`, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}

export async function saveSession(dir: string, origin: string, session: Session): Promise<void> {
  await write(dir, { ...(await readSessions(dir)), [origin]: session });
}

export async function forgetSession(dir: string, origin: string): Promise<void> {
  const rest = await readSessions(dir);
  delete rest[origin];
  if (Object.keys(rest).length) await write(dir, rest);
  else await rm(sessionsFile(dir), { force: true });
}
