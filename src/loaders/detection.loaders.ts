import DataLoader from 'dataloader';
import { DetectionGroupRow, DetectionHitRow, DetectionParent, DetectionQuery, DetectionSummaryRow, detectionGroups, detectionHits, detectionSummaries } from '../history/detections';
import { EventKey } from '../history/ids';
import { HistoryStore, QueryContext } from '../history/store';
import { windowJson } from './key-text';

/**
 * Detections asked anywhere in one request, batched: the rules' matches of
 * all events asked in a tick (Event.detections) in one statement, the
 * summaries of all principals or sessions asked in a tick in one statement,
 * the principals or sessions of all detections of one query in one.
 */
export interface DetectionLoaders {
  detectionsOfEvent: DataLoader<EventDetectionsKey, number[], string>;
  detectionsOfParent: DataLoader<ParentDetectionsKey, DetectionSummaryRow[], string>;
  detectionGroups: DataLoader<DetectionGroupsKey, DetectionGroupRow[], string>;
}

/** The caller's runnable rules (DetectionQuery.rules) travel in every key: equal rule sets batch together. */
export interface EventDetectionsKey {
  event: EventKey;
  eventTime: string;
  query: Omit<DetectionQuery, 'window' | 'criteria'>;
  rulesKey: string;
}

export interface ParentDetectionsKey {
  kind: DetectionParent;
  parent: string;
  query: DetectionQuery;
  rulesKey: string;
}

export interface DetectionGroupsKey {
  kind: DetectionParent;
  rule: number;
  perRule: number;
  query: DetectionQuery;
  rulesKey: string;
}

const DAY_MS = 86_400_000;

function groupBy<K, V>(items: readonly K[], keyOf: (k: K) => string, each: (group: K[]) => Promise<V>): Promise<Map<string, V>> {
  const groups = new Map<string, K[]>();
  for (const k of items) {
    const g = groups.get(keyOf(k)) ?? [];
    g.push(k);
    groups.set(keyOf(k), g);
  }
  return Promise.all([...groups].map(async ([key, g]) => [key, await each(g)] as const)).then((pairs) => new Map(pairs));
}

const eventKeyText = (k: EventKey) => `${k.day}|${k.account}|${k.region}|${k.eventId}`;
const queryText = (q: DetectionQuery, rulesKey: string) => `${rulesKey}|${windowJson(q.window)}|${JSON.stringify(q.criteria)}|${JSON.stringify(q.scope)}`;

export function detectionLoaders(store: HistoryStore, ctx: QueryContext): DetectionLoaders {
  return {
    detectionsOfEvent: new DataLoader<EventDetectionsKey, number[], string>(
      async (keys) => {
        const hits = await groupBy(keys, (k) => k.rulesKey, async (group) => {
          // The window that holds every event asked: their days, whole.
          const times = group.map((k) => Date.parse(k.eventTime)).filter((t) => !Number.isNaN(t));
          const from = Math.floor(Math.min(...times) / DAY_MS) * DAY_MS - DAY_MS;
          const to = Math.floor(Math.max(...times) / DAY_MS) * DAY_MS + 2 * DAY_MS;
          return detectionHits(store, { ...group[0].query, criteria: {}, window: { from: new Date(from), to: new Date(to) } }, ctx, group.map((k) => k.event));
        });
        const byEvent = new Map<string, number[]>();
        for (const [rulesKey, rows] of hits) for (const h of rows as DetectionHitRow[]) {
          const id = `${rulesKey}#${eventKeyText(h.key)}`;
          byEvent.set(id, [...(byEvent.get(id) ?? []), h.rule]);
        }
        return keys.map((k) => byEvent.get(`${k.rulesKey}#${eventKeyText(k.event)}`) ?? []);
      },
      { cacheKeyFn: (k) => `${k.rulesKey}#${eventKeyText(k.event)}` },
    ),
    detectionsOfParent: new DataLoader<ParentDetectionsKey, DetectionSummaryRow[], string>(
      async (keys) => {
        const rows = await groupBy(keys, (k) => `${k.kind}|${queryText(k.query, k.rulesKey)}`, (group) =>
          detectionSummaries(store, group[0].query, ctx, { kind: group[0].kind, keys: [...new Set(group.map((k) => k.parent))] }),
        );
        return keys.map((k) => (rows.get(`${k.kind}|${queryText(k.query, k.rulesKey)}`) ?? []).filter((r) => r.parent === k.parent));
      },
      { cacheKeyFn: (k) => `${k.kind}|${k.parent}|${queryText(k.query, k.rulesKey)}` },
    ),
    detectionGroups: new DataLoader<DetectionGroupsKey, DetectionGroupRow[], string>(
      async (keys) => {
        const text = (k: DetectionGroupsKey) => `${k.kind}|${k.perRule}|${queryText(k.query, k.rulesKey)}`;
        const rows = await groupBy(keys, text, (group) => detectionGroups(store, group[0].query, group[0].kind, group[0].perRule, ctx));
        return keys.map((k) => (rows.get(text(k)) ?? []).filter((r) => r.rule === k.rule));
      },
      { cacheKeyFn: (k) => `${k.rule}|${k.kind}|${k.perRule}|${queryText(k.query, k.rulesKey)}` },
    ),
  };
}
