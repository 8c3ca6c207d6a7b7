import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './paths';
import { assetCatalog } from './asset-catalog';

/**
 * The explorer's static files: GraphiQL's and React's prebuilt UMD bundles
 * straight from node_modules, and our own script and styles. Nothing is
 * fetched from a CDN: the page works on closed networks.
 */
export type { Asset } from './asset-catalog';

function packageFile(pkg: string, file: string): () => Buffer {
  return () => readFileSync(join(dirname(require.resolve(`${pkg}/package.json`)), file));
}

/** Read from the source tree, which the compiled server (dist/) runs beside. */
function ownFile(file: string): () => Buffer {
  return () => readFileSync(join(REPO_ROOT, 'src', 'graphiql', 'public', file));
}

/** The UMD bundle ends with a source-map comment whose map is not served: drop it so browsers do not ask. */
function withoutSourceMap(read: () => Buffer): () => Buffer {
  return () => Buffer.from(read().toString('utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'));
}

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

const SOURCES: Record<string, { read: () => Buffer; contentType: string }> = {
  'react.js': { read: packageFile('react', 'umd/react.production.min.js'), contentType: JS },
  'react-dom.js': { read: packageFile('react-dom', 'umd/react-dom.production.min.js'), contentType: JS },
  'graphiql.js': { read: withoutSourceMap(packageFile('graphiql', 'graphiql.min.js')), contentType: JS },
  'graphiql.css': { read: packageFile('graphiql', 'graphiql.min.css'), contentType: CSS },
  // graphql-ws's browser client (global graphqlWs): the explorer runs subscriptions with it.
  'graphql-ws.js': { read: packageFile('graphql-ws', 'umd/graphql-ws.min.js'), contentType: JS },
  'fill.js': { read: ownFile('fill.js'), contentType: JS },
  'explorer.js': { read: ownFile('explorer.js'), contentType: JS },
  'explorer.css': { read: ownFile('explorer.css'), contentType: CSS },
};

export const ASSET_NAMES: readonly string[] = Object.keys(SOURCES);

/** An asset by name (read and compressed on first use, then kept); undefined for any other name. */
export const asset = assetCatalog(SOURCES);
