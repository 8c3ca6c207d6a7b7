import type { Config } from '../config';
import { isLoopbackHost } from '../authz/settings';
import { parseBudgets } from './budgets';

type Problem = { setting: string; message: string } | null;

/** The cross-setting rules of production operation; loadConfig throws a ConfigError for the first broken one. */
export function operationsSettingProblem(c: Config): Problem {
  if (c.metricsPort !== 0 && !isLoopbackHost(c.metricsHost) && c.metricsToken === '') {
    return { setting: '--metrics-host', message: `"${c.metricsHost}" is not a loopback address: set --metrics-token (scrapers send it as a bearer token), or keep /metrics on 127.0.0.1` };
  }
  if (c.metricsPort !== 0 && c.metricsPort === c.port) return { setting: '--metrics-port', message: 'must differ from --port (or be 0 to turn /metrics off)' };
  try {
    parseBudgets(c.budgets);
  } catch (err) {
    return { setting: '--budgets', message: (err as Error).message };
  }
  return null;
}
