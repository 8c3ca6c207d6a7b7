import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { Writable } from 'node:stream';

/**
 * Where text goes as it is made, counting its bytes. A write the stream
 * cannot take at once waits for it to drain, so memory holds at most one
 * chunk of rows however many the export writes.
 */
export class Sink {
  bytes = 0;
  private failure: Error | null = null;

  constructor(private readonly stream: Writable) {
    // A stream that fails (a full disk, a reader that went away: EPIPE) fails the next write, never the process.
    stream.on('error', (err) => {
      this.failure ??= err;
    });
  }

  async write(text: string): Promise<void> {
    if (this.failure) throw this.failure;
    if (text === '') return;
    const bytes = Buffer.from(text, 'utf8');
    this.bytes += bytes.length;
    if (!this.stream.write(bytes)) await once(this.stream, 'drain');
    if (this.failure) throw this.failure;
  }
}

/**
 * A file written under a temporary name beside its final one and renamed
 * when complete: an export that fails part-way leaves no partial file that
 * could pass for the evidence.
 */
export class PendingFile {
  readonly temporary: string;
  constructor(readonly path: string) {
    this.temporary = `${path}.partial-${process.pid}`;
  }

  /** A stream over the temporary file (created new, owner only: it holds audit history). */
  open(): Writable {
    return createWriteStream(this.temporary, { flags: 'wx', mode: 0o600 });
  }

  commit(): void {
    renameSync(this.temporary, this.path);
  }

  discard(): void {
    rmSync(this.temporary, { force: true });
  }
}

/** Ends a stream and waits until everything written is flushed (or it fails). */
export function finish(stream: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}
