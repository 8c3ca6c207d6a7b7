import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGunzip, gunzip } from 'node:zlib';

const gunzipAsync = promisify(gunzip);

/**
 * A log file's hash as CloudTrail records it in a digest: the hex SHA-256
 * of its uncompressed content. Gzip is undone on libuv's pool, so several
 * files hash at once while the main thread lists and reads.
 */
export async function logFileSha256(body: Buffer): Promise<string> {
  const plain = body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b ? await gunzipAsync(body) : body;
  return createHash('sha256').update(plain).digest('hex');
}

/** The same for a file on disk, streamed (a log file can be large). */
export async function localLogFileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  const head = await new Promise<Buffer>((resolveHead, reject) => {
    const s = createReadStream(path, { start: 0, end: 1 });
    const parts: Buffer[] = [];
    s.on('data', (c) => parts.push(Buffer.from(c)));
    s.on('end', () => resolveHead(Buffer.concat(parts)));
    s.on('error', reject);
  });
  const gz = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  const sink = async (source: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of source) hash.update(chunk);
  };
  if (gz) await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), createGunzip({ chunkSize: 1 << 20 }), sink);
  else await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), sink);
  return hash.digest('hex');
}
