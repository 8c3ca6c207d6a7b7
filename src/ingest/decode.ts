import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { constants, createGunzip, gunzipSync } from 'node:zlib';

/**
 * Bytes to text. Gzip is recognised by its magic bytes, not the name. A
 * broken gzip (truncated, corrupt) gives back what decoded before the break
 * and says why it broke, so the records before it can still load.
 */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isGzip(buf: Uint8Array): boolean {
  return buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;
}

/** Decodes as far as the stream is readable, in a stream so that corruption (not only truncation) keeps the good prefix. */
function gunzipPrefix(buf: Buffer): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const gunzip = createGunzip();
    gunzip.on('data', (c: Buffer) => chunks.push(c));
    gunzip.on('error', () => resolve(Buffer.concat(chunks)));
    gunzip.on('end', () => resolve(Buffer.concat(chunks)));
    gunzip.end(buf);
  });
}

export interface DecodedText {
  text: string;
  /** Why the bytes could not be decoded to the end (the text is what came before). */
  broken?: string;
}

export async function readText(path: string): Promise<DecodedText> {
  const buf = await readFile(path);
  if (!isGzip(buf)) return { text: buf.toString('utf8') };
  try {
    return { text: gunzipSync(buf).toString('utf8') };
  } catch (err) {
    let prefix: Buffer;
    try {
      // A truncated stream: a sync flush returns everything before the cut.
      prefix = gunzipSync(buf, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      prefix = await gunzipPrefix(buf);
    }
    return { text: prefix.toString('utf8'), broken: `gzip: ${errorText(err)}` };
  }
}

async function startsWithGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    return isGzip(head.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

export type LineItem = { line: number; text: string } | { broken: string };

/** The lines of a JSON Lines file (gzip or not), streamed: such files may be far larger than memory. */
export async function* readLines(path: string): AsyncGenerator<LineItem> {
  const source = createReadStream(path, { highWaterMark: 1 << 20 });
  let stream: AsyncIterable<Buffer> = source;
  const gzip = await startsWithGzip(path);
  if (gzip) {
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    pipeline(source, gunzip, () => undefined);
    stream = gunzip;
  }
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let line = 0;
  try {
    for await (const chunk of stream) {
      const text = rest + decoder.write(chunk);
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        yield { line: ++line, text: text.slice(start, nl) };
        start = nl + 1;
      }
      rest = text.slice(start);
    }
  } catch (err) {
    // The text after the last newline is the line the break cut: it is not a record.
    yield { broken: `${gzip ? 'gzip' : 'read'}: ${errorText(err)}${rest.trim() ? ` (line ${line + 1} is cut off)` : ''}` };
    return;
  }
  rest += decoder.end();
  if (rest.length > 0) yield { line: ++line, text: rest };
}
