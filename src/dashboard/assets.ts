import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../graphiql/paths';
import { AssetSources, assetCatalog } from '../graphiql/asset-catalog';

/** The dashboard's files: Chart.js's UMD bundle from node_modules, and our own script and styles. No CDN. */
export type { Asset as DashboardAsset } from '../graphiql/asset-catalog';

/** chart.js's dist folder (its package exports do not include package.json; its main file lives in dist/). */
function chartDist(): string {
  return dirname(require.resolve('chart.js'));
}

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

const SOURCES: AssetSources = {
  'chart.js': {
    // The bundle ends with a source-map comment whose map is not served: dropped so browsers do not ask.
    read: () => Buffer.from(readFileSync(join(chartDist(), 'chart.umd.min.js'), 'utf8').replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n')),
    contentType: JS,
  },
  'dashboard.js': { read: () => readFileSync(join(REPO_ROOT, 'src', 'dashboard', 'public', 'dashboard.js')), contentType: JS },
  'dashboard.css': { read: () => readFileSync(join(REPO_ROOT, 'src', 'dashboard', 'public', 'dashboard.css')), contentType: CSS },
};

export const dashboardAsset = assetCatalog(SOURCES);
