import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDemo } from '../src/demo';

export interface Dataset {
  dir: string;
  events: number;
  files: number;
  generateMs: number | null;
}

/**
 * The demo log files the bench ingests: generated once per (events, seed, day)
 * into .bench/, reused by later runs of the same day.
 */
export async function demoDataset(root: string, events: number, seed: number, end: Date): Promise<Dataset> {
  const day = end.toISOString().slice(0, 10);
  const dir = join(root, `demo-${events}-${seed}-${day}`);
  const marker = join(dir, 'dataset.json');
  if (existsSync(marker)) {
    const m = JSON.parse(readFileSync(marker, 'utf8')) as { files: number };
    return { dir: join(dir, 'logs'), events, files: m.files, generateMs: null };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const out = await generateDemo({ events, out: join(dir, 'logs'), seed, days: 30, end });
  const generateMs = performance.now() - t0;
  writeFileSync(marker, JSON.stringify({ events: out.events, files: out.files }));
  return { dir: join(dir, 'logs'), events: out.events, files: out.files, generateMs };
}
