import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/** A static file the server serves itself (no CDN): its bytes, gzipped bytes, type and ETag. */
export interface Asset {
  body: Buffer;
  gzip: Buffer;
  contentType: string;
  etag: string;
}

export type AssetSources = Record<string, { read: () => Buffer; contentType: string }>;

/**
 * Assets by name, each read and compressed on first use, then kept;
 * undefined for any name `sources` does not list. The explorer and the
 * dashboard each serve their own catalog.
 */
export function assetCatalog(sources: AssetSources): (name: string) => Asset | undefined {
  const loaded = new Map<string, Asset>();
  return (name) => {
    const source = Object.prototype.hasOwnProperty.call(sources, name) ? sources[name] : undefined;
    if (!source) return undefined;
    let a = loaded.get(name);
    if (!a) {
      const body = source.read();
      a = { body, gzip: gzipSync(body), contentType: source.contentType, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
      loaded.set(name, a);
    }
    return a;
  };
}
