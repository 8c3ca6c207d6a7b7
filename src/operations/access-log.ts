import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
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
 * Appends to a file created mode 0600, rotated by size. Each line is one
 * synchronous append of a few hundred bytes to the page cache: cheaper than
 * a round trip through libuv's thread pool, and a line is on its way to the
 * disk before the answer is (a request is answered only once its line is
 * written, see request-audit.ts). Lines never interleave, and rotation
 * happens between two lines.
 */
export class FileAccessLog implements AccessLogSink {
  private fd: number | null = null;
  private size = 0;

  constructor(private readonly opts: AccessLogOptions) {}

  private ensureOpen(): number {
    if (this.fd !== null) return this.fd;
    mkdirSync(dirname(this.opts.path), { recursive: true, mode: 0o700 });
    this.fd = openSync(this.opts.path, 'a', 0o600);
    this.size = fstatSync(this.fd).size;
    return this.fd;
  }

  private rotate(): void {
    this.closeFd();
    const { path, keep } = this.opts;
    rmSync(`${path}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) if (existsSync(`${path}.${i}`)) renameSync(`${path}.${i}`, `${path}.${i + 1}`);
    if (keep >= 1) renameSync(path, `${path}.1`);
    else rmSync(path, { force: true });
  }

  private closeFd(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  async write(line: AccessLine): Promise<void> {
    const text = Buffer.from(JSON.stringify(line) + '\n');
    writeSync(this.ensureOpen(), text);
    this.size += text.length;
    if (this.size >= this.opts.maxBytes) this.rotate();
  }

  async close(): Promise<void> {
    this.closeFd();
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
