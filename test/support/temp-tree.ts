import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A CloudTrail log file's text: {"Records": [...]}. */
export const logFile = (records: unknown[]): string => JSON.stringify({ Records: records });

/**
 * Folders of input files for ingest tests, under one temporary root made in
 * beforeAll and removed in afterAll. `files` writes a new folder (relative
 * path → text or bytes) and returns it; `path` names a place under the root.
 */
export function tempTree(prefix: string): { files(spec: Record<string, string | Buffer>): string; path(...parts: string[]): string } {
  let root = '';
  let caseNo = 0;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  return {
    files(spec) {
      const dir = join(root, `case-${caseNo++}`);
      for (const [rel, body] of Object.entries(spec)) {
        mkdirSync(dirname(join(dir, rel)), { recursive: true });
        writeFileSync(join(dir, rel), body);
      }
      return dir;
    },
    path: (...parts) => join(root, ...parts),
  };
}
