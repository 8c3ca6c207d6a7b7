import { startAfterOf } from '../src/sources/candidates';
import { dayParts } from '../src/sources/layout';
import { ObjectMark } from '../src/sources/read-log';
import { TruncatedBodyError, backoffMs, isRetriable } from '../src/sources/retry';
import { SourceError, openSource, openSources } from '../src/sources/source';
import { windowArgs } from '../src/sources/window-args';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../src/config';

/** The small rules of sources, on literals. */
describe('sources: rules', () => {
  test('day prefixes of a window: each UTC day, both ends included, across a month end', () => {
    expect(dayParts(new Date('2024-02-28T23:00:00Z'), new Date('2024-03-01T00:30:00Z'))).toEqual(['2024/02/28/', '2024/02/29/', '2024/03/01/']);
    expect(dayParts(new Date('2024-06-09T10:00:00Z'), new Date('2024-06-09T11:00:00Z'))).toEqual(['2024/06/09/']);
  });

  test('StartAfter: after the last key read, or the last one before the first failure', () => {
    const marks = (list: Array<[string, string?]>) => new Map<string, ObjectMark>(list.map(([key, failure]) => [key, { key, etag: 'e', failure }]));
    expect(startAfterOf(marks([]))).toBeUndefined();
    expect(startAfterOf(marks([['a'], ['c'], ['b']]))).toBe('c');
    expect(startAfterOf(marks([['a'], ['b', 'SlowDown'], ['c']]))).toBe('a');
    expect(startAfterOf(marks([['b', 'SlowDown'], ['c']]))).toBeUndefined();
  });

  test('what is retried: throttling, 5xx, dropped connections, cut bodies; not access denied or not found', () => {
    expect(isRetriable(Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } }))).toBe(true);
    expect(isRetriable(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }))).toBe(true);
    expect(isRetriable(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isRetriable(new TruncatedBodyError('k: body ended after 10 of 20 bytes'))).toBe(true);
    expect(isRetriable(Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }))).toBe(false);
    expect(isRetriable(Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } }))).toBe(false);
  });

  test('backoff: full jitter under base * 2^attempt, capped', () => {
    const policy = { attempts: 5, baseMs: 100, capMs: 1000 };
    expect(backoffMs(0, policy, () => 0.999)).toBe(99);
    expect(backoffMs(2, policy, () => 0.5)).toBe(200);
    expect(backoffMs(10, policy, () => 0.999)).toBe(999);
    expect(backoffMs(3, policy, () => 0)).toBe(0);
  });

  test('sources from what the user typed', () => {
    expect(openSource('s3://my-trail/org/')).toMatchObject({ kind: 's3', uri: 's3://my-trail/org/', prefix: 'org/' });
    expect(openSource('s3://my-trail')).toMatchObject({ kind: 's3', uri: 's3://my-trail/', prefix: '' });
    expect(openSource('/var/logs')).toMatchObject({ kind: 'local', uri: '/var/logs' });
    expect(() => openSource('s3://')).toThrow(SourceError);
    expect(() => openSource('s3://Bad_Bucket/x')).toThrow(SourceError);
    // Files named one by one are one source per folder.
    const files = [join(__dirname, 'config.test.ts'), join(__dirname, 'sources-units.test.ts')];
    expect(openSources([...files, 's3://my-trail'])).toEqual([
      expect.objectContaining({ kind: 's3', uri: 's3://my-trail/' }),
      { kind: 'local', uri: __dirname, path: __dirname, files },
    ]);
  });

  test('--since/--until: dates or instants; default the configured window; a bad one names its flag', () => {
    const { config } = loadConfig([], {}, { defaultWindowDays: 7 });
    const now = new Date('2024-06-10T12:00:00Z');
    const dflt = windowArgs(['s3://b'], config, now);
    expect(dflt).toMatchObject({ rest: ['s3://b'], filter: { since: new Date('2024-06-03T12:00:00Z'), until: now } });
    expect(windowArgs(['--since', '2024-06-01', '--until=2024-06-02T05:00:00Z'], config, now)).toMatchObject({ filter: { since: new Date('2024-06-01T00:00:00Z'), until: new Date('2024-06-02T05:00:00Z') } });
    expect(windowArgs(['--since', 'last week'], config, now)).toMatchObject({ flag: '--since' });
    expect(windowArgs(['--since', '2024-06-05', '--until', '2024-06-01'], config, now)).toMatchObject({ flag: '--since' });
    expect(windowArgs(['--until'], config, now)).toMatchObject({ flag: '--until' });
  });

  test('settings: --follow repeats, --regions are regions, --follow-interval a number of seconds', () => {
    expect(loadConfig(['--follow', 's3://a', '--follow', '/b']).config.follow).toBe('s3://a,/b');
    expect(loadConfig([], { TRAILGRAPH_FOLLOW: 's3://a,/b', TRAILGRAPH_FOLLOW_INTERVAL: '5' }).config).toMatchObject({ follow: 's3://a,/b', followIntervalSeconds: 5 });
    expect(() => loadConfig(['--regions', 'us-east-1,narnia'])).toThrow(ConfigError);
    expect(() => loadConfig(['--follow-interval', '0'])).toThrow(ConfigError);
    let setting = '';
    try {
      loadConfig(['--regions', 'narnia']);
    } catch (err) {
      setting = (err as ConfigError).setting;
    }
    expect(setting).toBe('--regions');
  });
});
