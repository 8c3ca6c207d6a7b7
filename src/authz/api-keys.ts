import { createHash, timingSafeEqual } from 'node:crypto';
import { AttributeValue, Caller } from './caller';

/**
 * API keys are stored hashed: the list holds the hex SHA-256 of each key,
 * never the key. The list is JSON, from a file or the environment:
 *   [{ "name": "payments-app", "sha256": "<64 hex>", "groups": ["apps"],
 *      "attributes": { "accounts": ["111111111111"] } }]
 */
export interface ApiKeyEntry {
  name: string;
  sha256: string;
  groups: string[];
  attributes: Record<string, AttributeValue>;
}

export class ApiKeyListError extends Error {}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@:-]{0,127}$/;
const ATTRIBUTE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Attributes trailgraph sets itself on the Cedar principal. */
const RESERVED_ATTRIBUTES = new Set(['name', 'kind']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseAttribute(where: string, value: unknown): AttributeValue {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (Array.isArray(value) && value.every((x): x is string => typeof x === 'string')) return value;
  throw new ApiKeyListError(`${where}: must be a string, a whole number, a boolean or a list of strings`);
}

function parseEntry(raw: unknown, i: number): ApiKeyEntry {
  const where = `entry ${i}`;
  if (!isRecord(raw)) throw new ApiKeyListError(`${where}: must be an object`);
  const { name, sha256, groups = [], attributes = {} } = raw;
  if (typeof name !== 'string' || !NAME.test(name)) throw new ApiKeyListError(`${where}: "name" must be 1-128 letters, digits or ._@:-`);
  if (typeof sha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(sha256)) throw new ApiKeyListError(`${where} (${name}): "sha256" must be 64 hex digits (the SHA-256 of the key)`);
  if (!Array.isArray(groups) || !groups.every((g): g is string => typeof g === 'string' && g.length > 0)) {
    throw new ApiKeyListError(`${where} (${name}): "groups" must be a list of names`);
  }
  if (!isRecord(attributes)) throw new ApiKeyListError(`${where} (${name}): "attributes" must be an object`);
  const attrs: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(attributes)) {
    if (!ATTRIBUTE.test(k) || RESERVED_ATTRIBUTES.has(k)) throw new ApiKeyListError(`${where} (${name}): attribute "${k}" is not allowed`);
    attrs[k] = parseAttribute(`${where} (${name}) attribute "${k}"`, v);
  }
  return { name, sha256: sha256.toLowerCase(), groups: [...new Set(groups)], attributes: attrs };
}

export function parseApiKeyList(text: string): ApiKeyEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ApiKeyListError(`not JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(raw)) throw new ApiKeyListError('must be a JSON list of keys');
  const entries = raw.map(parseEntry);
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.name)) throw new ApiKeyListError(`name "${e.name}" is used twice`);
    if (seen.has(`#${e.sha256}`)) throw new ApiKeyListError(`key of "${e.name}" is listed twice`);
    seen.add(e.name).add(`#${e.sha256}`);
  }
  return entries;
}

/** Finds the caller a presented key belongs to. */
export class ApiKeyStore {
  private readonly byHash = new Map<string, ApiKeyEntry>();

  constructor(entries: readonly ApiKeyEntry[]) {
    for (const e of entries) this.byHash.set(e.sha256, e);
  }

  get size(): number {
    return this.byHash.size;
  }

  /** The caller of this key, or null when no key matches. */
  verify(key: string): Caller | null {
    const hash = hashApiKey(key);
    const entry = this.byHash.get(hash);
    // The map finds the candidate; the comparison that admits it is constant-time.
    if (!entry || !timingSafeEqual(Buffer.from(entry.sha256, 'hex'), Buffer.from(hash, 'hex'))) return null;
    return Object.freeze({ id: `apiKey:${entry.name}`, name: entry.name, groups: entry.groups, kind: 'apiKey', attributes: entry.attributes });
  }
}
