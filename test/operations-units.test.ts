import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Caller } from '../src/authz/caller';
import { AccessLine, FileAccessLog } from '../src/operations/access-log';
import { Budgets, parseBudgets } from '../src/operations/budgets';
import { ConfigError, loadConfig } from '../src/config';

const line = (i: number): AccessLine => ({
  time: new Date(Date.UTC(2026, 10, 1, 0, 0, i)).toISOString(),
  caller: `apiKey:caller-${i}`,
  operation: 'Q',
  document: null,
  accounts: [],
  denied: [],
  statements: 1,
  bytesScanned: 0,
  durationMs: 1,
  outcome: 'OK',
});

test('the access log is created 0600 and rotated by size, keeping N files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-rotate-'));
  const path = join(dir, 'logs', 'access.log');
  const one = Buffer.byteLength(JSON.stringify(line(0)) + '\n');
  const log = new FileAccessLog({ path, maxBytes: one * 3, keep: 2 });
  try {
    for (let i = 0; i < 10; i++) await log.write(line(i));
    await log.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // 10 lines, 3 a file: 9 rotated (three files, the oldest dropped), 1 current.
    const callers = (f: string) => readFileSync(f, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as AccessLine).caller.slice('apiKey:caller-'.length));
    expect(callers(path)).toEqual(['9']);
    expect(callers(`${path}.1`)).toEqual(['6', '7', '8']);
    expect(callers(`${path}.2`)).toEqual(['3', '4', '5']);
    expect(existsSync(`${path}.3`)).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const caller = (groups: string[]): Caller => ({ id: `apiKey:${groups.join('+') || 'none'}`, name: 'x', groups, kind: 'apiKey', attributes: {} });

test('budgets: the most generous group limit applies, a spent budget refuses with RATE_LIMITED, and it resets after the hour', () => {
  let now = Date.UTC(2026, 10, 1, 12, 0, 0);
  let rejected = 0;
  const budgets = new Budgets(parseBudgets(JSON.stringify({ default: { statementsPerHour: 1 }, groups: { a: { statementsPerHour: 2 }, b: { statementsPerHour: 3, bytesScannedPerHour: 100 } } })) ?? {}, () => now, () => rejected++);
  const both = budgets.forCaller(caller(['a', 'b']));
  // a has no byte limit: the caller in a and b has none.
  expect(both?.toJSON()).toEqual({ statementsRemaining: 3, bytesScannedRemaining: null, resetAt: '2026-11-01T13:00:00.000Z' });
  const b = budgets.forCaller(caller(['b']));
  if (!b) throw new Error('b has a budget');
  b.check();
  b.charge({ engineMs: 1, bytesScanned: 100 });
  let code: unknown;
  try {
    b.check();
  } catch (err) {
    code = (err as { extensions: { code: string } }).extensions.code;
  }
  expect(code).toBe('RATE_LIMITED');
  expect(rejected).toBe(1);
  now += 3_600_000;
  expect(() => b.check()).not.toThrow();
  expect(b.toJSON()).toEqual({ statementsRemaining: 3, bytesScannedRemaining: 100, resetAt: '2026-11-01T14:00:00.000Z' });
  // No limits at all: no budget.
  expect(new Budgets({}).forCaller(caller([]))).toBeNull();
});

test.each([['{'], ['[]'], ['{"default":{"statementsPerHour":-1}}'], ['{"groups":{"a":{"rows":1}}}'], ['{"limits":{}}']])('a bad --budgets stops boot naming the setting: %s', (text) => {
  let err: unknown;
  try {
    loadConfig(['--budgets', text], {});
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ConfigError);
  expect((err as ConfigError).setting).toBe('--budgets');
});

test('/metrics off loopback needs a token', () => {
  expect(() => loadConfig(['--metrics-host', '0.0.0.0'], {})).toThrow(ConfigError);
  expect(loadConfig(['--metrics-host', '0.0.0.0', '--metrics-token', 't0ken'], {}).config.metricsHost).toBe('0.0.0.0');
});
