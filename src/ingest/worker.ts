import { closeSync, openSync, writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { FileOutcome } from './file-reader';
import { FileTask, processFile } from './process-file';

/**
 * A decode-and-parse thread: gunzip, JSON.parse, check and map records for
 * one file at a time, writing the rows to the file the main thread names.
 */
export interface WorkerRequest {
  id: number;
  task: FileTask;
  out: string;
}

export type WorkerReply = { id: number; outcome: FileOutcome } | { id: number; error: string };

/** The two files a reader appends a batch's rows and keys to. */
export function batchFiles(out: string): { rows: string; keys: string } {
  return { rows: `${out}.rows.ndjson`, keys: `${out}.keys.ndjson` };
}

/** Appends rows and keys to the files of `out`, opening them only if the file yields rows. */
export async function processInto(task: FileTask, out: string): Promise<FileOutcome> {
  let fds: { rows: number; keys: number } | undefined;
  try {
    return await processFile(task, (rows, keys) => {
      const files = batchFiles(out);
      fds ??= { rows: openSync(files.rows, 'a'), keys: openSync(files.keys, 'a') };
      writeSync(fds.rows, rows);
      writeSync(fds.keys, keys);
    });
  } finally {
    if (fds) {
      closeSync(fds.rows);
      closeSync(fds.keys);
    }
  }
}

/** Marks the threads the pool starts (this module is also imported on the main thread, by the pool). */
export const WORKER_ROLE = 'trailgraph-ingest-worker';

if (parentPort && workerData === WORKER_ROLE) {
  const port = parentPort;
  port.on('message', (req: WorkerRequest) => {
    processInto(req.task, req.out).then(
      (outcome) => port.postMessage({ id: req.id, outcome } satisfies WorkerReply),
      (err: unknown) => port.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) } satisfies WorkerReply),
    );
  });
}
