import { Config } from '../config';
import { LayoutFilter } from './layout';

/**
 * `--since` / `--until` of a command that reads sources (ISO dates or
 * instants, UTC): the delivery days of a bucket to list. Without them, the
 * configured default window up to now. Returns the arguments left, or the
 * flag at fault.
 */
export type WindowArgs = { filter: LayoutFilter; rest: string[] } | { flag: string; message: string };

const DAY_MS = 86_400_000;

function parseInstant(text: string | undefined): Date | undefined {
  if (text === undefined || !/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return undefined;
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : /Z|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function windowArgs(args: readonly string[], config: Config, now: Date): WindowArgs {
  const rest: string[] = [];
  const got: Record<string, Date> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.includes('=') && arg.startsWith('--') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag !== '--since' && flag !== '--until') {
      rest.push(arg);
      continue;
    }
    const value = inline ?? args[++i];
    const d = parseInstant(value);
    if (!d) return { flag, message: `"${value ?? ''}" is not a date (YYYY-MM-DD) or an ISO 8601 instant` };
    got[flag] = d;
  }
  const until = got['--until'] ?? now;
  const since = got['--since'] ?? new Date(until.getTime() - config.defaultWindowDays * DAY_MS);
  if (since > until) return { flag: '--since', message: 'must not be after --until' };
  const list = (text: string): string[] => text.split(',').map((x) => x.trim()).filter(Boolean);
  return { filter: { since, until, accounts: list(config.accounts), regions: list(config.regions) }, rest };
}
