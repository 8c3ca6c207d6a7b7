import { randomUUID } from 'node:crypto';
import { countPlaceholders } from '../../src/history/athena/sql-text';
import { DuckDbRunner } from './duckdb-runner';
import { EmulatorKnobs, EmulatorStats } from './knobs';
import { LiteralValue, parseLiteral } from './literals';
import { ResultSet } from './result-set';

export type State = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

export interface Execution {
  id: string;
  query: string;
  parameters: string[];
  database: string;
  catalog: string;
  workgroup: string;
  outputLocation: string;
  reuse: { enabled: boolean; maxAgeMinutes: number };
  state: State;
  reason?: string;
  submitted: number;
  running?: number;
  completed?: number;
  bytesScanned: number;
  engineMs: number;
  reused: boolean;
  result?: ResultSet;
  /** A failure the test asked for (failNext / failWhen). */
  injectedFailure?: string;
  wake: AbortController;
}

const ACTIVE: ReadonlySet<State> = new Set(['QUEUED', 'RUNNING']);

function nap(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The query state machine: QUEUED → RUNNING (→ QUEUED → RUNNING) → SUCCEEDED | FAILED | CANCELLED. */
export class Executions {
  readonly byId = new Map<string, Execution>();
  private readonly active = new Set<string>();
  private readonly reusable = new Map<string, Execution>();

  constructor(private readonly runner: DuckDbRunner, private readonly knobs: () => EmulatorKnobs, private readonly stats: () => EmulatorStats) {}

  get activeCount(): number {
    return this.active.size;
  }

  private set(x: Execution, state: State): void {
    x.state = state;
    if (ACTIVE.has(state)) {
      this.active.add(x.id);
      this.stats().maxActive = Math.max(this.stats().maxActive, this.active.size);
    } else {
      this.active.delete(x.id);
      x.completed = Date.now();
      x.wake.abort();
    }
  }

  private reuseKey(x: Pick<Execution, 'query' | 'parameters' | 'database' | 'catalog' | 'workgroup' | 'outputLocation'>): string {
    return JSON.stringify([x.query, x.parameters, x.database, x.catalog, x.workgroup, x.outputLocation]);
  }

  create(fields: Omit<Execution, 'id' | 'state' | 'submitted' | 'bytesScanned' | 'engineMs' | 'reused' | 'wake'>): Execution {
    const x: Execution = { ...fields, id: randomUUID(), state: 'QUEUED', submitted: Date.now(), bytesScanned: 0, engineMs: 0, reused: false, wake: new AbortController() };
    this.byId.set(x.id, x);
    const stats = this.stats();
    stats.started++;
    stats.statements.push({ id: x.id, query: x.query, parameters: x.parameters });
    const previous = this.reusable.get(this.reuseKey(x));
    if (x.reuse.enabled && previous?.completed && Date.now() - previous.completed <= x.reuse.maxAgeMinutes * 60_000) {
      Object.assign(x, { reused: true, result: previous.result, running: x.submitted });
      stats.reused++;
      this.set(x, 'SUCCEEDED');
      return x;
    }
    this.set(x, 'QUEUED');
    void this.progress(x);
    return x;
  }

  stop(x: Execution): void {
    if (!ACTIVE.has(x.state)) return;
    this.stats().stopped.push(x.id);
    x.reason = 'Query cancelled by user';
    this.set(x, 'CANCELLED');
  }

  stopAll(): void {
    for (const id of [...this.active]) {
      const x = this.byId.get(id);
      if (x) this.set(x, 'CANCELLED');
    }
  }

  private async progress(x: Execution): Promise<void> {
    const k = this.knobs();
    const ended = () => !ACTIVE.has(x.state);
    try {
      await nap(k.queueMs, x.wake.signal);
      if (ended()) return;
      x.running = Date.now();
      this.set(x, 'RUNNING');
      if (k.requeue) {
        await nap(1, x.wake.signal);
        if (ended()) return;
        this.set(x, 'QUEUED');
        await nap(k.queueMs, x.wake.signal);
        if (ended()) return;
        this.set(x, 'RUNNING');
      }
      const started = performance.now();
      let result: ResultSet | undefined;
      if (!x.injectedFailure) {
        if (k.database !== null && x.database !== k.database) throw new Error(`SCHEMA_NOT_FOUND: line 1:1: Schema '${x.database}' does not exist`);
        const expected = countPlaceholders(x.query);
        if (expected !== x.parameters.length) throw new Error(`Incorrect number of parameters: expected ${expected} but found ${x.parameters.length}`);
        const values: LiteralValue[] = x.parameters.map(parseLiteral);
        result = await this.runner.execute(x.query, values);
        x.bytesScanned = k.accountBytes ? await this.runner.bytesScanned(x.query, values) : 0;
        this.stats().executed++;
      }
      await nap(k.runMs, x.wake.signal);
      if (ended()) return;
      x.engineMs = Math.round(performance.now() - started);
      if (x.injectedFailure) throw new Error(x.injectedFailure);
      x.result = result;
      this.stats().bytesScanned += x.bytesScanned;
      this.set(x, 'SUCCEEDED');
      this.reusable.set(this.reuseKey(x), x);
    } catch (err) {
      if (ended()) return;
      x.reason = err instanceof Error ? err.message : String(err);
      this.set(x, 'FAILED');
    }
  }
}
