import { FileHandle, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * One line per GraphQL request: who read what, when, at what cost, with
 * what outcome. Never credentials, never variables' values.
 */
export interface AccessLine {
  /** ISO time the request arrived. */
  readonly time: string;
  readonly caller: string;
  readonly operation: string | null;
  /** SHA-256 (hex) of the document text: which query, without its values. */
  readonly document: string | null;
  /** The accounts its statements were bounded to; null: every account (no authorization). */
  readonly accounts: readonly string[] | null;
  /** Permissions (actions) the caller was refused during the request. */
  readonly denied: readonly string[];
  readonly statements: number;
  readonly bytesScanned: number;
  readonly durationMs: number;
  /** 'OK', or the first error's code. */
  readonly outcome: string;
}

export interface AccessLogOptions {
  /** A file path, or '-' for standard output. */
  readonly path: string;
  /** Rotate when the file passes this size; `path.1` ... `path.N` are kept. */
  readonly maxBytes: number;
  readonly keep: number;
}

export interface AccessLogSink {
  write(line: AccessLine): Promise<void>;
  close(): Promise<void>;
}

/** Standard output (containers collect it): nothing to rotate. */
class StdoutSink implements AccessLogSink {
  async write(line: AccessLine): Promise<void> {
    await new Promise<void>((resolve, reject) => process.stdout.write(JSON.stringify(line) + '\n', (err) => (err ? reject(err) : resolve())));
  }
  async close(): Promise<void> {}
}

/**
 * Appends to a file created mode 0600, rotated by size. Writes are chained,
 * so lines never interleave and rotation happens between two lines. A
 * request is answered only once its line is written (see access-log-plugin).
 */
export class FileAccessLog implements AccessLogSink {
  private handle: FileHandle | null = null;
  private size = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly opts: AccessLogOptions) {}

  private async ensureOpen(): Promise<FileHandle> {
    if (this.handle) return this.handle;
    await mkdir(dirname(this.opts.path), { recursive: true, mode: 0o700 });
    this.handle = await open(this.opts.path, 'a', 0o600);
    this.size = (await stat(this.opts.path)).size;
    return this.handle;
  }

  private async rotate(): Promise<void> {
    await this.handle?.close();
    this.handle = null;
    const { path, keep } = this.opts;
    await rm(`${path}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) await rename(`${path}.${i}`, `${path}.${i + 1}`).catch(() => undefined);
    if (keep >= 1) await rename(path, `${path}.1`);
    else await rm(path, { force: true });
  }

  write(line: AccessLine): Promise<void> {
    const text = JSON.stringify(line) + '\n';
    const next = this.chain.then(async () => {
      const handle = await this.ensureOpen();
      await handle.write(text);
      this.size += Buffer.byteLength(text);
      if (this.size >= this.opts.maxBytes) await this.rotate();
    });
    // A failed write must not poison the lines after it.
    this.chain = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.chain;
    await this.handle?.close();
    this.handle = null;
  }
}

export function openAccessLog(opts: AccessLogOptions): AccessLogSink {
  return opts.path === '-' ? new StdoutSink() : new FileAccessLog(opts);
}

/** The files holding the log, oldest first (rotated ones, then the current one). */
export function accessLogFiles(opts: AccessLogOptions): string[] {
  if (opts.path === '-') return [];
  const rotated = Array.from({ length: opts.keep }, (_, i) => `${opts.path}.${opts.keep - i}`);
  return [...rotated, opts.path];
}
