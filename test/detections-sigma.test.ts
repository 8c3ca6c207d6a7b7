import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CloudTrailRecord } from '../src/cloudtrail/record';
import { RuleCatalog } from '../src/detections/catalog';
import { BUILT_IN_DIR, loadRuleDir } from '../src/detections/load';
import { CompiledRule } from '../src/detections/rule';
import { detectionHits } from '../src/history/detections';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { CostMeter } from '../src/history/cost';
import { HistoryStore } from '../src/history/store';
import { Sql } from '../src/history/sql/sql';
import { corpusEngine } from './support/corpus';
import { EngineHandle, bothEngines } from './support/engines';
import { firstOfEachId } from './support/expected';
import { corpusRecords } from './support/fixture-store';
import { referenceRule } from './support/sigma-reference';

/**
 * SigmaHQ's 57 CloudTrail rules (../shared/sigma, DRL 1.1, loaded from
 * there) and our built-in pack: each compiled or listed unsupported with a
 * reason; each compiled rule's matches over the corpus, on both engines,
 * equal an independent evaluation of the rule over the raw records.
 */
const SIGMA_DIR = resolve(__dirname, '../../shared/sigma/rules');

/** The SigmaHQ rules the engine does not run, and the words their reasons must name (a person can check each file). */
const UNSUPPORTED: Record<string, string> = {
  // `status` is no CloudTrail field (the rule meant the outcome: errorCode absent).
  'aws_delete_saml_provider.yml': 'status',
};

const sigma = loadRuleDir(SIGMA_DIR);
const builtIn = loadRuleDir(BUILT_IN_DIR, true);

test('every one of the 57 SigmaHQ rules is compiled or listed unsupported with its reason', () => {
  const files = readdirSync(SIGMA_DIR).filter((f) => f.endsWith('.yml')).sort();
  expect(files).toHaveLength(57);
  expect(sigma.map((r) => r.origin.file).sort()).toEqual(files);
  const unsupported = sigma.filter((r) => !r.supported);
  expect(unsupported.map((r) => r.origin.file).sort()).toEqual(Object.keys(UNSUPPORTED).sort());
  for (const r of unsupported) if (!r.supported) expect(r.reason).toContain(UNSUPPORTED[r.origin.file]);
  expect(sigma.filter((r) => r.supported)).toHaveLength(56);
  // Attribution travels with each rule: title, id and author as the file states them.
  const mfa = sigma.find((r) => r.origin.file === 'aws_cloudtrail_console_login_success_without_mfa.yml');
  expect(mfa?.meta.id).toBe('77caf516-34e5-4df9-b4db-20744fea0a60');
  expect(mfa?.meta.author).toBe('Thuya@Hacktilizer, Ivan Saakov');
  expect(mfa?.origin.builtIn).toBe(false);
});

test('the built-in pack compiles whole, and what it reads is marked for authorization', () => {
  expect(builtIn.length).toBeGreaterThanOrEqual(10);
  expect(builtIn.filter((r) => !r.supported)).toEqual([]);
  const mfa = builtIn.find((r) => r.origin.file === 'console-login-without-mfa.yml') as CompiledRule;
  expect(mfa.guards).toEqual(['payloads']);
  const root = builtIn.find((r) => r.origin.file === 'root-activity.yml') as CompiledRule;
  expect(root.guards).toEqual([]);
});

test('every value of a rule is a bound parameter, never SQL text', () => {
  for (const r of [...sigma, ...builtIn]) {
    if (!r.supported) continue;
    const text = (r.predicate as Sql).text;
    expect(text).not.toMatch(/'[^']*'/);
    expect(r.predicate.params.length).toBeGreaterThan(0);
  }
});

describe.each(['duckdb', 'athena'] as const)('matches over the corpus on %s', (name) => {
  let duck: DuckDbEngine;
  let handle: EngineHandle;
  let teardown: () => Promise<void>;
  const records: CloudTrailRecord[] = firstOfEachId(corpusRecords());
  const rules = [...builtIn, ...sigma].filter((r): r is CompiledRule => r.supported);
  let got = new Map<string, string[]>();
  let statements = 0;

  beforeAll(async () => {
    duck = await corpusEngine();
    const both = await bothEngines(duck);
    handle = both.variants.find((v) => v.name === name) as EngineHandle;
    teardown = both.teardown;
    const store = new HistoryStore(handle.engine);
    const times = records.map((r) => Date.parse(r.eventTime)).filter((t) => !Number.isNaN(t));
    const window = { from: new Date(Math.min(...times) - 86_400_000), to: new Date(Math.max(...times) + 86_400_000) };
    const cost = new CostMeter();
    const hits = await detectionHits(store, { rules: rules.map((r, index) => ({ index, predicate: r.predicate, eventNames: r.eventNames })), criteria: {}, window, scope: { accounts: null, days: handle.engine.partitionDays } }, { scope: { accounts: null }, cost });
    statements = cost.historyQueries;
    got = new Map(rules.map((r) => [r.meta.id, []]));
    for (const h of hits) got.get(rules[h.rule].meta.id)?.push(h.key.eventId);
  }, 120_000);
  afterAll(async () => {
    await teardown();
    await duck.close();
  });

  test('one statement for all the rules', () => {
    expect(rules.length).toBeGreaterThan(60);
    expect(statements).toBe(1);
  });

  test('each compiled rule matches exactly what the reference finds in the raw records', () => {
    const dirOf = (r: CompiledRule) => (r.origin.builtIn ? BUILT_IN_DIR : SIGMA_DIR);
    let matchedRules = 0;
    for (const r of rules) {
      const ref = referenceRule(join(dirOf(r), r.origin.file));
      expect(ref.id).toBe(r.meta.id);
      const expected = records.filter(ref.matches).map((x) => x.eventID).sort();
      expect({ rule: r.origin.file, ids: [...(got.get(r.meta.id) ?? [])].sort() }).toEqual({ rule: r.origin.file, ids: expected });
      if (expected.length) matchedRules++;
    }
    // Guard against an empty comparison: the corpus exercises many rules.
    expect(matchedRules).toBeGreaterThanOrEqual(20);
  });
});

test('a catalog keeps one rule per id', () => {
  const c = RuleCatalog.load([SIGMA_DIR, SIGMA_DIR]);
  const dups = c.rules.filter((r) => !r.supported && r.reason.startsWith('duplicate id'));
  // The second copy of each of the 57 files: the first keeps its id.
  expect(dups).toHaveLength(57);
  expect(c.compiled).toHaveLength(builtIn.length + 56);
});
