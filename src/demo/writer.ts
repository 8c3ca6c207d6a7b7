import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

/**
 * Writes gzip files with a few compressions in flight (zlib runs on the
 * libuv pool, in parallel with the generator), so memory stays bounded by
 * `inFlight` files.
 */
export class GzipWriter {
  private readonly pending = new Set<Promise<void>>();
  private readonly dirs = new Set<string>();
  private failure: unknown = undefined;

  constructor(private readonly inFlight = 4, private readonly level = 1) {}

  async write(path: string, text: string): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    while (this.pending.size >= this.inFlight) await Promise.race(this.pending);
    const dir = dirname(path);
    if (!this.dirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.dirs.add(dir);
    }
    const job = gzipAsync(Buffer.from(text, 'utf8'), { level: this.level, chunkSize: 1 << 20 })
      .then((bytes) => writeFile(path, bytes))
      .catch((err: unknown) => {
        this.failure = err;
      })
      .finally(() => this.pending.delete(job));
    this.pending.add(job);
  }

  async close(): Promise<void> {
    await Promise.all(this.pending);
    if (this.failure !== undefined) throw this.failure;
  }
}
