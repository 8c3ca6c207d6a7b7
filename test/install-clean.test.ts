import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';

/** What a clean clone installs: the lock as committed, read as npm reads it. */
const root = join(__dirname, '..');
interface LockEntry { version?: string; integrity?: string; engines?: Record<string, string> | string[]; optionalDependencies?: Record<string, string> }
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
const installed = Object.entries(lock.packages).filter(([path]) => path.startsWith('node_modules/'));

describe('a clean install', () => {
  it('installs no package whose engines refuse the Node running it (npm warns EBADENGINE)', () => {
    expect(semver.satisfies(process.version, pkg.engines.node)).toBe(true);
    const checked = installed.filter(([, e]) => e.engines && !Array.isArray(e.engines) && typeof e.engines.node === 'string');
    expect(checked.length).toBeGreaterThan(50);
    const refusing = checked
      .filter(([, e]) => !semver.satisfies(process.version, (e.engines as Record<string, string>).node))
      .map(([path, e]) => `${path}@${e.version}`);
    expect(refusing).toEqual([]);
    expect(checked.some(([path]) => path.endsWith('@whatwg-node/promise-helpers'))).toBe(true);
  });

  it('records every platform binding of DuckDB with its integrity, so npm ci accepts the lock anywhere', () => {
    const bindings = lock.packages['node_modules/@duckdb/node-bindings'];
    const platforms = Object.keys(bindings.optionalDependencies ?? {});
    expect(platforms.length).toBeGreaterThanOrEqual(5);
    for (const name of platforms) expect(lock.packages[`node_modules/${name}`]?.integrity).toMatch(/^sha512-/);
  });

  it('commits the bin executable, so npm linking it changes nothing in the work tree', () => {
    const entry = execFileSync('git', ['ls-files', '-s', 'bin/trailgraph.cjs'], { cwd: root, encoding: 'utf8' });
    expect(entry.split(' ')[0]).toBe('100755');
  });

  it('runs plain npm ci in CI, with no fallback to npm install', () => {
    const ci = readFileSync(join(root, '.ci/run'), 'utf8').split('\n').filter((l) => !l.trim().startsWith('#'));
    expect(ci).toContain('npm ci');
    expect(ci.some((l) => /npm install/.test(l))).toBe(false);
  });
});
