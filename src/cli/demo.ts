import { resolve } from 'node:path';
import { ConfigError, DEFAULTS } from '../config';
import { parseCommandLine, runCommand } from './command-line';
import { DEFAULT_DAYS, DEFAULT_SEED, generateDemo } from '../demo';

/**
 * `trailgraph demo --events N --out DIR [--seed S] [--days D] [--end YYYY-MM-DD]`:
 * writes demo CloudTrail log files (gzip, S3 layout) under DIR.
 */
const USAGE = 'usage: trailgraph demo --out DIR [--events N] [--seed S] [--days D] [--end YYYY-MM-DD]';

export interface DemoArgs {
  out: string;
  events: number;
  seed: number;
  days: number;
  end?: Date;
}

class UsageError extends Error {}

function wholeNumber(flag: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new UsageError(`${flag}: "${raw}" is not a whole number in ${min}..${max}`);
  return Number(raw);
}

/** The end day given as YYYY-MM-DD: events run up to its last second (UTC). */
function endOfDay(raw: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59)) : undefined;
  if (!m || !d || d.getUTCDate() !== Number(m[3]) || d.getUTCMonth() !== Number(m[2]) - 1) throw new UsageError(`--end: "${raw}" is not a date YYYY-MM-DD`);
  return d;
}

export function parseDemoArgs(args: readonly string[]): DemoArgs {
  const out: Partial<DemoArgs> = { events: DEFAULTS.demoEvents, seed: DEFAULT_SEED, days: DEFAULT_DAYS };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.indexOf('=');
    const [flag, inline] = arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--events': out.events = wholeNumber(flag, value(), 1, 100_000_000); break;
      case '--out': out.out = value(); break;
      case '--seed': out.seed = wholeNumber(flag, value(), 0, 4_294_967_295); break;
      case '--days': out.days = wholeNumber(flag, value(), 1, 3660); break;
      case '--end': out.end = endOfDay(value()); break;
      default: throw new UsageError(`unknown argument ${arg}`);
    }
  }
  if (!out.out || out.out.trim() === '') throw new UsageError('--out DIR is required');
  return out as DemoArgs;
}

export function demo(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runCommand('demo', args, () => writeDemo(args, env));
}

async function writeDemo(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let parsed: DemoArgs;
  try {
    // The flags demo takes are declared in src/config.ts (COMMAND_FLAGS); their values are checked here.
    parsed = parseDemoArgs(parseCommandLine('demo', args, env).own);
  } catch (err) {
    if (!(err instanceof UsageError) && !(err instanceof ConfigError)) throw err;
    console.error(`trailgraph demo: ${err.message} (${USAGE})`);
    return 2;
  }
  const started = performance.now();
  const { files, events } = await generateDemo({ ...parsed, out: resolve(parsed.out) });
  console.log(`wrote ${events} events in ${files} log files under ${resolve(parsed.out)} in ${((performance.now() - started) / 1000).toFixed(1)}s`);
  return 0;
}
