import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailRecord } from '../src/cloudtrail/record';
import { ConfigError, loadConfig } from '../src/config';
import { RuleCatalog } from '../src/detections/catalog';
import { loadRuleDir } from '../src/detections/load';
import { CompiledRule } from '../src/detections/rule';
import { CostMeter } from '../src/history/cost';
import { detectionHits } from '../src/history/detections';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { HistoryStore } from '../src/history/store';
import { corpusEngine } from './support/corpus';
import { EngineHandle, bothEngines } from './support/engines';
import { firstOfEachId } from './support/expected';
import { corpusRecords } from './support/fixture-store';
import { referenceRule } from './support/sigma-reference';

/**
 * The Sigma forms SigmaHQ's CloudTrail rules do not use (cidr, null, exists
 * false, endswith, ? wildcards and escapes, cased, re|i, N of, them,
 * parentheses, condition lists), each as a small rule over the corpus: its
 * matches on both engines equal the reference evaluation; and what the
 * engine refuses, with its reason, never half-compiled.
 */
const RULES: Record<string, string> = {
  'cidr.yml': `sourceIPAddress|cidr:\n      - 10.0.0.0/8\n      - 72.21.192.0/19\n      - 192.0.2.0/24`,
  'null-and-exists.yml': `errorCode: null\n    userIdentity.invokedBy|exists: false\n    requestParameters.bucketName|exists: true`,
  'endswith-wildcards.yml': `eventSource|endswith: '.amazonaws.com'\n    eventName:\n      - 'Get?ucket*'\n      - 'Describe*s'\n      - 'List\\\\*'`,
  'cased.yml': `eventName|cased: 'consolelogin'`,
  're-i.yml': `userAgent|re|i: '^AWS-INTERNAL|console\\.amazonaws'`,
  'contains-all.yml': `requestParameters|contains|all:\n      - 'bucket'\n      - 'name'`,
  'number-and-boolean.yml': `readOnly: true\n    eventVersion: '1.08'`,
};

function ruleText(name: string, selection: string, condition = 'selection'): string {
  return `title: ${name}\nid: test-${name}\nauthor: test\nlevel: low\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  selection:\n    ${selection}\n  condition: ${condition}\n`;
}

const CONDITIONS: Record<string, string> = {
  'two-of.yml': `detection:\n  sel_a:\n    eventSource: s3.amazonaws.com\n  sel_b:\n    readOnly: true\n  sel_c:\n    errorCode|exists: true\n  condition: 2 of sel_*`,
  'them.yml': `detection:\n  sel_a:\n    eventName: ConsoleLogin\n  sel_b:\n    eventName: AssumeRole\n  _private:\n    eventName: GetObject\n  condition: 1 of them`,
  'all-of-them-parens.yml': `detection:\n  s1:\n    eventSource: iam.amazonaws.com\n  s2:\n    - eventName|startswith: Create\n    - eventName|startswith: Delete\n  f:\n    errorCode|exists: true\n  condition: (all of them) or (s1 and not (s2 or f))`,
  'condition-list.yml': `detection:\n  a:\n    eventName: ConsoleLogin\n  b:\n    eventName: CreateUser\n  condition:\n    - a\n    - b`,
};

const REFUSED: Record<string, [string, string]> = {
  'aggregation.yml': [`detection:\n  s:\n    eventName: ConsoleLogin\n  condition: s | count() by sourceIPAddress > 10`, 'aggregation'],
  'near.yml': [`detection:\n  s:\n    eventName: ConsoleLogin\n  t:\n    eventName: CreateUser\n  condition: s near t`, 'near'],
  'timeframe.yml': [`detection:\n  s:\n    eventName: ConsoleLogin\n  timeframe: 5m\n  condition: s`, 'timeframe'],
  'keywords.yml': [`detection:\n  keywords:\n    - evil\n  condition: keywords`, 'keyword'],
  'modifier.yml': [`detection:\n  s:\n    eventName|base64: ConsoleLogin\n  condition: s`, 'unknown modifier base64'],
  'field.yml': [`detection:\n  s:\n    ComputerName: dc1\n  condition: s`, 'unknown field ComputerName'],
  'lookaround.yml': [`detection:\n  s:\n    userAgent|re: '(?=aws)cli'\n  condition: s`, 'lookaround'],
  'ipv6.yml': [`detection:\n  s:\n    sourceIPAddress|cidr: '2001:db8::/32'\n  condition: s`, 'IPv4'],
  'no-selection.yml': [`detection:\n  s:\n    eventName: ConsoleLogin\n  condition: s and missing`, 'missing'],
  'logsource.yml': [`detection:\n  s:\n    EventID: 4624\n  condition: s`, 'logsource'],
};

let dir: string;
let refusedDir: string;
const records: CloudTrailRecord[] = firstOfEachId(corpusRecords());

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tg-sigma-forms-'));
  refusedDir = mkdtempSync(join(tmpdir(), 'tg-sigma-refused-'));
  for (const [file, selection] of Object.entries(RULES)) writeFileSync(join(dir, file), ruleText(file, selection));
  for (const [file, detection] of Object.entries(CONDITIONS)) writeFileSync(join(dir, file), `title: ${file}\nid: test-${file}\nlogsource:\n  product: aws\n  service: cloudtrail\n${detection}\n`);
  for (const [file, [detection]] of Object.entries(REFUSED)) {
    const logsource = file === 'logsource.yml' ? 'product: windows\n  service: security' : 'product: aws\n  service: cloudtrail';
    writeFileSync(join(refusedDir, file), `title: ${file}\nid: refused-${file}\nlogsource:\n  ${logsource}\n${detection}\n`);
  }
  writeFileSync(join(refusedDir, 'broken.yml'), 'title: [unclosed\n');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(refusedDir, { recursive: true, force: true });
});

test('each form the engine refuses is listed with its reason, and nothing of it compiled', () => {
  const rules = loadRuleDir(refusedDir);
  const byFile = new Map(rules.map((r) => [r.origin.file, r]));
  for (const [file, [, words]] of Object.entries(REFUSED)) {
    const r = byFile.get(file)!;
    expect({ file, supported: r.supported }).toEqual({ file, supported: false });
    if (!r.supported) expect(r.reason).toContain(words);
    expect('predicate' in r).toBe(false);
  }
  const broken = byFile.get('broken.yml')!;
  expect(broken.supported).toBe(false);
});

test('--rules is repeatable, and a path that is not a folder is a ConfigError naming the flag', () => {
  const { config } = loadConfig(['--rules', dir, '--rules', refusedDir], { TRAILGRAPH_RULES: tmpdir() });
  expect(config.rules).toEqual([dir, refusedDir]);
  expect(loadConfig([], { TRAILGRAPH_RULES: `${dir}:${refusedDir}` }).config.rules).toEqual([dir, refusedDir]);
  expect(() => loadConfig(['--rules', join(dir, 'cidr.yml')], {})).toThrow(ConfigError);
  try {
    loadConfig(['--rules', join(dir, 'nowhere')], {});
  } catch (err) {
    expect((err as ConfigError).setting).toBe('--rules');
  }
  expect(RuleCatalog.load([dir]).compiled.length).toBeGreaterThanOrEqual(Object.keys(RULES).length + Object.keys(CONDITIONS).length);
});

describe.each(['duckdb', 'athena'] as const)('each form over the corpus on %s equals the reference', (name) => {
  let duck: DuckDbEngine;
  let teardown: () => Promise<void>;
  let got = new Map<string, string[]>();
  let rules: CompiledRule[] = [];

  beforeAll(async () => {
    duck = await corpusEngine();
    const both = await bothEngines(duck);
    teardown = both.teardown;
    const handle = both.variants.find((v) => v.name === name) as EngineHandle;
    rules = loadRuleDir(dir).filter((r): r is CompiledRule => r.supported);
    const times = records.map((r) => Date.parse(r.eventTime)).filter((t) => !Number.isNaN(t));
    const window = { from: new Date(Math.min(...times) - 86_400_000), to: new Date(Math.max(...times) + 86_400_000) };
    const hits = await detectionHits(new HistoryStore(handle.engine), { rules: rules.map((r, index) => ({ index, predicate: r.predicate, eventNames: r.eventNames })), criteria: {}, window, scope: { accounts: null, days: handle.engine.partitionDays } }, { scope: { accounts: null }, cost: new CostMeter() });
    got = new Map(rules.map((r) => [r.meta.id, []]));
    for (const h of hits) got.get(rules[h.rule].meta.id)?.push(h.key.eventId);
  }, 120_000);
  afterAll(async () => {
    await teardown();
    await duck.close();
  });

  test('matches', () => {
    expect(rules.map((r) => r.origin.file).sort()).toEqual([...Object.keys(RULES), ...Object.keys(CONDITIONS)].sort());
    let nonEmpty = 0;
    for (const r of rules) {
      const expected = records.filter(referenceRule(join(dir, r.origin.file)).matches).map((x) => x.eventID).sort();
      expect({ rule: r.origin.file, ids: [...(got.get(r.meta.id) ?? [])].sort() }).toEqual({ rule: r.origin.file, ids: expected });
      if (expected.length) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThanOrEqual(8);
  });
});
