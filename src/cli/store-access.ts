import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { DuckDbEngine } from '../history/duckdb/engine';
import { CliFailure } from './command-line';

/**
 * Opening the embedded store and listening, from the CLI: every way they
 * commonly fail becomes one line naming the setting to change, never DuckDB's
 * text or a stack trace.
 */
export { CliFailure };
/** A running server writes its PID beside the store it holds (removed when it stops), so that `ingest` can say who holds it. */
export function holderFile(db: string): string {
  return `${db}.server.pid`;
}

export function markHeld(db: string): () => void {
  const file = holderFile(db);
  writeFileSync(file, `${process.pid}\n`);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    try {
      if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file);
    } catch {
      // already gone
    }
  };
  process.once('exit', release);
  return release;
}

function serverHolding(db: string): number | undefined {
  try {
    const pid = Number(readFileSync(holderFile(db), 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    process.kill(pid, 0); // throws when no such process: a file left by a server that was killed
    return pid;
  } catch {
    return undefined;
  }
}

export type StoreUse = 'serve' | 'start' | 'ingest';

/** Opens the store at `db`: `serve` needs it to exist; `start` and `ingest` create it. `memoryLimitMb`: --db-memory-mb. */
export async function openStore(db: string, use: StoreUse, memoryLimitMb?: number): Promise<DuckDbEngine> {
  if (use === 'serve' && db !== ':memory:' && !existsSync(db)) {
    throw new CliFailure(`there is no store at ${db}: load logs into it with trailgraph ingest --db ${db} PATH, or name another with --db`);
  }
  try {
    return await DuckDbEngine.open(db, undefined, memoryLimitMb);
  } catch (err) {
    throw storeFailure(db, use, err);
  }
}

/** DuckDB's open errors carry no code: its IO Error texts are read here, and only here. */
function storeFailure(db: string, use: StoreUse, err: unknown): Error {
  const text = err instanceof Error ? err.message : String(err);
  if (/Could not set lock on file/i.test(text)) {
    const server = serverHolding(db);
    const holder = /\(PID (\d+)\)/.exec(text)?.[1];
    if (server !== undefined && use === 'ingest') {
      return new CliFailure(`the store ${db} is held by a running trailgraph server (PID ${server}): stop it first, or let it load new logs itself with trailgraph serve --follow SOURCE`);
    }
    const who = server !== undefined ? `a running trailgraph server (PID ${server})` : `another process${holder ? ` (PID ${holder})` : ''}`;
    return new CliFailure(`the store ${db} is in use by ${who}: stop it, or name another store with --db`);
  }
  if (/not a valid DuckDB database file|database file.*(corrupt|invalid)|Corrupt/i.test(text)) {
    return new CliFailure(`${db} is not a trailgraph store (not a DuckDB database file, or a damaged one): name another with --db`);
  }
  if (/^IO Error/i.test(text)) return new CliFailure(`cannot open the store ${db} (not a readable, writable file): name another with --db`);
  return err instanceof Error ? err : new Error(text);
}

/** What a failed listen means to the person who started the server. */
export function listenFailure(err: unknown, host: string, port: number): Error {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  switch (code) {
    case 'EADDRINUSE':
      return new CliFailure(`port ${port} on ${host} is already in use: choose another with --port (TRAILGRAPH_PORT), or stop what listens there`);
    case 'EACCES':
      return new CliFailure(`not allowed to listen on port ${port}: choose one above 1023 with --port (TRAILGRAPH_PORT)`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new CliFailure(`cannot listen on ${host}: not an address of this machine; change --host (TRAILGRAPH_HOST)`);
    default:
      return err instanceof Error ? err : new Error(String(err));
  }
}
