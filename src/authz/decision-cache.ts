import {
  AttributeValue,
  BatchGetItemCommand,
  BatchGetItemCommandOutput,
  BatchWriteItemCommand,
  BatchWriteItemCommandOutput,
  DynamoDBClient,
  KeysAndAttributes,
  WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Action } from './actions';
import { TABLE_KEY, TTL_ATTRIBUTE } from './dynamo';
import { Decision } from './policy-engine';

/** Everything a cached decision depends on: who, what, which account, which policy set. */
export interface DecisionKey {
  callerKey: string;
  action: Action;
  account: string;
  version: string;
}

/** A decision with the instant it stops counting (epoch seconds). */
export interface TimedDecision {
  decision: Decision;
  expiresAt: number;
}

/** Where the authorizer keeps decisions: DecisionCache, or DecisionMemo in front of it. */
export interface DecisionStore {
  readonly table: string;
  /** The fresh decisions found, by item key. */
  getMany(keys: readonly DecisionKey[]): Promise<Map<string, Decision>>;
  putMany(entries: readonly { key: DecisionKey; decision: Decision }[]): Promise<unknown>;
}

/** DynamoDB's limits: 100 keys per BatchGetItem, 25 items per BatchWriteItem. */
export const GET_BATCH = 100;
export const WRITE_BATCH = 25;
const MAX_ROUNDS = 6;

/** The item's key; each part escaped, so no value (a JWT subject, an odd account name) can shift the others. */
export function itemKey(k: DecisionKey): string {
  return [k.version, k.callerKey, k.action, k.account].map(encodeURIComponent).join('|');
}

function chunks<T>(xs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/** The attribute holding an item's signature. */
export const SIGNATURE_ATTRIBUTE = 'sig';

/** HMAC-SHA256 of what an item says (its key, decision and expiry), base64url. */
function signature(key: Buffer, pk: string, decision: string, expiresAt: string): string {
  return createHmac('sha256', key).update(`${pk}\u0000${decision}\u0000${expiresAt}`).digest('base64url');
}

function sameSignature(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}

const pause = (round: number): Promise<void> => new Promise((r) => setTimeout(r, Math.min(200, 10 * 2 ** round)));

/**
 * Decisions cached in a DynamoDB table (key: the item key above; decision;
 * expiresAt as the TTL attribute). An item past its expiry counts as a miss
 * even while DynamoDB has not yet deleted it (TTL deletion lags by hours).
 * Errors propagate: the authorizer decides without the cache.
 *
 * The cache trusts only what this server wrote: every item carries an
 * HMAC-SHA256 of its key, decision and expiry under `signingKey` (by
 * default a random key made when the cache is, i.e. per start), and an item
 * whose signature does not verify is a miss. Anyone else who can reach the
 * table (the embedded dynalite listens on loopback without authentication)
 * can at most make the server decide again, never flip a deny to an allow.
 */
export class DecisionCache implements DecisionStore {
  constructor(
    private readonly client: DynamoDBClient,
    readonly table: string,
    readonly ttlSeconds: number,
    private readonly clock: () => number = Date.now,
    private readonly signingKey: Buffer = randomBytes(32),
  ) {}

  /** Items read whose signature did not verify (forged or written with another key), since the start. */
  rejected = 0;

  /** The fresh decisions found, by item key. One BatchGetItem per 100 keys; unprocessed keys are asked again. */
  async getMany(keys: readonly DecisionKey[]): Promise<Map<string, Decision>> {
    const timed = await this.getTimed(keys);
    return new Map([...timed].map(([k, t]) => [k, t.decision]));
  }

  /** getMany, with each decision's expiry. */
  async getTimed(keys: readonly DecisionKey[]): Promise<Map<string, TimedDecision>> {
    const wanted = [...new Set(keys.map(itemKey))];
    const found = new Map<string, TimedDecision>();
    await Promise.all(chunks(wanted, GET_BATCH).map((chunk) => this.getChunk(chunk, found)));
    return found;
  }

  private async getChunk(chunk: readonly string[], found: Map<string, TimedDecision>): Promise<void> {
    let request: KeysAndAttributes | undefined = {
      Keys: chunk.map((k) => ({ [TABLE_KEY]: { S: k } })),
      ProjectionExpression: '#k, #d, #e, #s',
      ExpressionAttributeNames: { '#k': TABLE_KEY, '#d': 'decision', '#e': TTL_ATTRIBUTE, '#s': SIGNATURE_ATTRIBUTE },
    };
    const nowSeconds = Math.floor(this.clock() / 1000);
    for (let round = 0; request?.Keys?.length && round < MAX_ROUNDS; round++) {
      if (round > 0) await pause(round);
      const out: BatchGetItemCommandOutput = await this.client.send(new BatchGetItemCommand({ RequestItems: { [this.table]: request } }));
      for (const item of out.Responses?.[this.table] ?? []) {
        const key = item[TABLE_KEY]?.S;
        const decision = item.decision?.S;
        const expiresText = item[TTL_ATTRIBUTE]?.N ?? '';
        const expires = Number(expiresText);
        if (!key || (decision !== 'allow' && decision !== 'deny') || !(expires > nowSeconds)) continue;
        if (!sameSignature(item[SIGNATURE_ATTRIBUTE]?.S ?? '', signature(this.signingKey, key, decision, expiresText))) {
          this.rejected += 1;
          continue;
        }
        found.set(key, { decision, expiresAt: expires });
      }
      request = out.UnprocessedKeys?.[this.table];
    }
    // Keys still unprocessed after the last round are misses: decided again, never guessed.
  }

  /** Writes decisions with their expiry, which it returns (epoch seconds). One BatchWriteItem per 25 items; unprocessed items are sent again. */
  async putMany(entries: readonly { key: DecisionKey; decision: Decision }[]): Promise<number> {
    const expires = Math.floor(this.clock() / 1000) + this.ttlSeconds;
    const expiresAt = String(expires);
    const unique = new Map(entries.map((e) => [itemKey(e.key), e]));
    const writes: WriteRequest[] = [...unique].map(([pk, { key, decision }]) => ({
      PutRequest: {
        Item: {
          [TABLE_KEY]: { S: pk },
          decision: { S: decision },
          [TTL_ATTRIBUTE]: { N: expiresAt },
          [SIGNATURE_ATTRIBUTE]: { S: signature(this.signingKey, pk, decision, expiresAt) },
          caller: { S: key.callerKey },
          action: { S: key.action },
          resource: { S: key.account },
          policyVersion: { S: key.version },
        } satisfies Record<string, AttributeValue>,
      },
    }));
    await Promise.all(chunks(writes, WRITE_BATCH).map((chunk) => this.writeChunk(chunk)));
    return expires;
  }

  private async writeChunk(chunk: WriteRequest[]): Promise<void> {
    let pending: WriteRequest[] | undefined = chunk;
    for (let round = 0; pending?.length && round < MAX_ROUNDS; round++) {
      if (round > 0) await pause(round);
      const out: BatchWriteItemCommandOutput = await this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.table]: pending } }));
      pending = out.UnprocessedItems?.[this.table];
    }
  }
}
