import { ConfigError, DEFAULTS, loadConfig } from '../src/config';

describe('config', () => {
  test('defaults, then environment, then flags; frozen', () => {
    const { config, rest } = loadConfig(['--port', '5001', 'logs/'], { TRAILGRAPH_PORT: '5000', TRAILGRAPH_DB: '/tmp/x.duckdb' });
    expect(config.port).toBe(5001);
    expect(config.db).toBe('/tmp/x.duckdb');
    expect(config.host).toBe(DEFAULTS.host);
    expect(rest).toEqual(['logs/']);
    expect(Object.isFrozen(config)).toBe(true);
  });

  test('--flag=value form', () => {
    expect(loadConfig(['--max-page-size=50', '--default-page-size=10'], {}).config.maxPageSize).toBe(50);
  });

  test.each([
    [['--port', 'eighty'], {}, '--port'],
    [['--port', '70000'], {}, '--port'],
    [[], { TRAILGRAPH_MAX_SPAN_DAYS: '0' }, 'TRAILGRAPH_MAX_SPAN_DAYS'],
    [['--engine', 'postgres'], {}, '--engine'],
    [['--default-window-days', '100', '--max-span-days', '30'], {}, '--default-window-days'],
    [['--port'], {}, '--port'],
    [['--db', ''], {}, '--db'],
    [['--accounts', '111111111111,bad id'], {}, '--accounts'],
    [['--engine', 'athena', '--api-keys-file', 'policies/api-keys.example.json', '--policy-file', 'policies/example.cedar'], {}, '--accounts'],
  ])('a bad value stops boot naming the setting: %j %j', (argv, env, setting) => {
    let err: unknown;
    try {
      loadConfig(argv, env);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).setting).toBe(setting);
  });
});
