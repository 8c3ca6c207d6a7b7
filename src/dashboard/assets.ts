import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { REPO_ROOT } from '../graphiql/paths';

/** The dashboard's files: Chart.js's UMD bundle from node_modules, and our own script and styles. No CDN. */
export interface DashboardAsset {
  body: Buffer;
  gzip: Buffer;
  contentType: string;
  etag: string;
}

/** chart.js's dist folder (its package exports do not include package.json; its main file lives in dist/). */
function chartDist(): string {
  return dirname(require.resolve('chart.js'));
}

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

const SOURCES: Record<string, { read: () => Buffer; contentType: string }> = {
  'chart.js': {
    // The bundle ends with a source-map comment whose map is not served: dropped so browsers do not ask.
    read: () => Buffer.from(readFileSync(join(chartDist(), 'chart.umd.min.js'), 'utf8').replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n')),
    contentType: JS,
  },
  'dashboard.js': { read: () => readFileSync(join(REPO_ROOT, 'src', 'dashboard', 'public', 'dashboard.js')), contentType: JS },
  'dashboard.css': { read: () => readFileSync(join(REPO_ROOT, 'src', 'dashboard', 'public', 'dashboard.css')), contentType: CSS },
};

const loaded = new Map<string, DashboardAsset>();

export function dashboardAsset(name: string): DashboardAsset | undefined {
  const source = Object.prototype.hasOwnProperty.call(SOURCES, name) ? SOURCES[name] : undefined;
  if (!source) return undefined;
  let a = loaded.get(name);
  if (!a) {
    const body = source.read();
    a = { body, gzip: gzipSync(body), contentType: source.contentType, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    loaded.set(name, a);
  }
  return a;
}
