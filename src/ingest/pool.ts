import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { FileOutcome } from './file-reader';
import { FileTask } from './process-file';
import { WORKER_ROLE, WorkerReply, processInto } from './worker';

/**
 * Runs file tasks: on worker threads, or in-process. `outPrefix` names the
 * batch; each runner writes its own files (prefix + runner number, see
 * batchFiles), so no two threads append to one file.
 */
export interface TaskRunner {
  readonly slots: number;
  run(task: FileTask, outPrefix: string): Promise<{ outcome: FileOutcome; out: string }>;
  close(): Promise<void>;
}

export class InlineRunner implements TaskRunner {
  readonly slots = 2;

  async run(task: FileTask, outPrefix: string): Promise<{ outcome: FileOutcome; out: string }> {
    const out = `${outPrefix}-main`;
    return { outcome: await processInto(task, out), out };
  }

  async close(): Promise<void> {}
}

interface Pending {
  resolve: (v: { outcome: FileOutcome; out: string }) => void;
  reject: (e: Error) => void;
  out: string;
}

export class WorkerPool implements TaskRunner {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly busy: number[];
  private readonly workers: Worker[];

  constructor(size: number) {
    // Under ts-node / ts-jest this file is TypeScript: the thread then needs the TypeScript loader too.
    const typescript = extname(__filename) === '.ts';
    const script = join(__dirname, `worker${extname(__filename)}`);
    this.workers = Array.from({ length: size }, () =>
      new Worker(script, { workerData: WORKER_ROLE, ...(typescript ? { execArgv: ['--require', 'ts-node/register/transpile-only'] } : {}) }),
    );
    this.busy = this.workers.map(() => 0);
    this.workers.forEach((w) => {
      w.on('message', (reply: WorkerReply) => this.settle(w, reply));
      w.on('error', (err) => this.failAll(err));
    });
  }

  get slots(): number {
    // One task being read and one queued per thread keeps every thread fed.
    return this.workers.length * 2;
  }

  private settle(worker: Worker, reply: WorkerReply): void {
    this.busy[this.workers.indexOf(worker)]--;
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if ('error' in reply) p.reject(new Error(reply.error));
    else p.resolve({ outcome: reply.outcome, out: p.out });
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  run(task: FileTask, outPrefix: string): Promise<{ outcome: FileOutcome; out: string }> {
    let i = 0;
    for (let k = 1; k < this.workers.length; k++) if (this.busy[k] < this.busy[i]) i = k;
    this.busy[i]++;
    const id = this.nextId++;
    const out = `${outPrefix}-w${i}`;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, out });
      this.workers[i].postMessage({ id, task, out });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
