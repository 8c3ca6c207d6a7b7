import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse } from 'graphql';
import { REPO_ROOT } from './paths';

/**
 * The saved investigations: investigations/index.json names each .graphql
 * file with a title, a description and the variables it opens with. Read
 * once; relative instants in the variables ("@now-7d") are resolved per
 * request at the wall clock, and sent as written too: the explorer anchors
 * them on the newest event the investigation is about, and fills the values
 * it names from the store (src/graphiql/public/fill.js), so that the
 * investigations answer on older logs too.
 */
export const INVESTIGATIONS_DIR = join(REPO_ROOT, 'investigations');

export interface Investigation {
  id: string;
  title: string;
  description: string;
  /** The .graphql text: one operation. */
  query: string;
  operationName: string;
  /** Resolved at the wall clock: what the explorer opens with when it cannot ask the store. */
  variables: Record<string, unknown>;
  /** The variables as written ("@now-7d"): the explorer anchors them on the store (public/fill.js). */
  template: Record<string, unknown>;
  /** How the explorer finds, in the store, the newest event the investigation is about and the values it names. */
  locate?: Locate;
}

/** See src/graphiql/public/fill.js. */
export interface Locate {
  /** A query over $time (and the investigation's other variables), nodes newest first. */
  query: string;
  /** Path to the nodes, e.g. "events.nodes[]" ("[]": each item of a list). */
  nodes: string;
  /** Path in a node to its time, e.g. "eventTime". */
  time: string;
  /** Variables taken from the located node: a path in it, a pattern the value must match, and for lists how many. */
  fill?: Record<string, { pick: string; match?: string; many?: number }>;
}

interface IndexEntry {
  id: string;
  file: string;
  title: string;
  description: string;
  variables?: Record<string, unknown>;
  locate?: Locate;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkEntry(v: unknown, i: number): IndexEntry {
  const fields = ['id', 'file', 'title', 'description'] as const;
  const locate = isObject(v) ? v.locate : undefined;
  const badLocate = locate !== undefined && (!isObject(locate) || ['query', 'nodes', 'time'].some((f) => typeof locate[f] !== 'string') || (locate.fill !== undefined && !isObject(locate.fill)));
  if (!isObject(v) || fields.some((f) => typeof v[f] !== 'string') || (v.variables !== undefined && !isObject(v.variables)) || badLocate) {
    throw new Error(`investigations/index.json: entry ${i} needs id, file, title, description (strings), variables (an object) and, if any, locate (query, nodes, time; fill)`);
  }
  return v as unknown as IndexEntry;
}

function operationNameOf(query: string, file: string): string {
  const ops = parse(query).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const name = ops.length === 1 && ops[0].kind === Kind.OPERATION_DEFINITION ? ops[0].name?.value : undefined;
  if (!name) throw new Error(`investigations/${file}: must hold exactly one named operation`);
  return name;
}

/** Reads and checks the index and every file it names (templates: variables not yet resolved). */
export function loadInvestigations(dir = INVESTIGATIONS_DIR): Investigation[] {
  const index: unknown = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  const entries = isObject(index) && Array.isArray(index.investigations) ? index.investigations : null;
  if (!entries) throw new Error('investigations/index.json: needs an "investigations" list');
  return entries.map((raw, i) => {
    const e = checkEntry(raw, i);
    const query = readFileSync(join(dir, e.file), 'utf8');
    if (e.locate) operationNameOf(e.locate.query, `${e.file} (locate)`);
    const variables = e.variables ?? {};
    return { id: e.id, title: e.title, description: e.description, query, operationName: operationNameOf(query, e.file), variables, template: variables, locate: e.locate };
  });
}

const RELATIVE = /^@now(?:-(\d+)([mhd]))?$/;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "@now" and "@now-<N><m|h|d>" anywhere in the variables, as RFC 3339 instants relative to `now`. */
export function resolveVariables(value: unknown, now: Date): unknown {
  if (typeof value === 'string') {
    const m = RELATIVE.exec(value);
    if (!m) return value;
    // Whole seconds, rounded up, so the window's end includes the current second.
    const end = Math.ceil(now.getTime() / 1000) * 1000;
    const at = m[1] ? end - Number(m[1]) * UNIT_MS[m[2]] : end;
    return new Date(at).toISOString().replace('.000Z', 'Z');
  }
  if (Array.isArray(value)) return value.map((v) => resolveVariables(v, now));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveVariables(v, now)]));
  return value;
}

/** The investigations as the explorer gets them: variables resolved at `now`. */
export function investigationsAt(list: readonly Investigation[], now: Date): Investigation[] {
  return list.map((inv) => ({ ...inv, variables: resolveVariables(inv.variables, now) as Record<string, unknown> }));
}
