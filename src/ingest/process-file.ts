import { stat } from 'node:fs/promises';
import { readLines, readText } from './decode';
import { Document, isDigest, parseDocument } from './formats';
import { FileOutcome, FileReader, RowSink } from './file-reader';

/**
 * Reads one input file into rows for the bulk load. Runs in a worker thread
 * (or in-process for small inputs); everything it reports is plain data.
 */
export interface FileTask {
  /** The file's number in this ingest (its rank in load order). */
  index: number;
  path: string;
}

const JSON_LINES = /\.(jsonl|ndjson)(\.gz)?$/i;

export function isDigestPath(path: string): boolean {
  return /(^|[\\/])CloudTrail-Digest([\\/]|$)/.test(path);
}

async function readDocument(reader: FileReader): Promise<void> {
  const { text, broken } = await readText(reader.out.path);
  const doc: Document = parseDocument(text);
  switch (doc.kind) {
    case 'digest':
      reader.out.digest = true;
      break;
    case 'items':
      reader.out.label = doc.label;
      for (let i = 0; i < doc.items.length; i++) {
        if (doc.label === 'Events') reader.acceptEvent(doc.items[i], i);
        else reader.accept(doc.items[i], i);
      }
      break;
    case 'lines': {
      reader.out.label = 'line';
      const lines = text.split('\n');
      for (let i = 0; i < lines.length; i++) reader.acceptLine(lines[i], i + 1);
      break;
    }
    case 'invalid':
      (doc.salvaged ?? []).forEach((v, i) => reader.accept(v, i));
      reader.fail(broken ? `${broken}; ${doc.reason}` : doc.reason);
      return;
  }
  if (broken) reader.fail(broken);
}

async function readJsonLines(reader: FileReader): Promise<void> {
  reader.out.label = 'line';
  for await (const item of readLines(reader.out.path)) {
    if ('broken' in item) reader.fail(item.broken);
    else if (item.line === 1 && isDigestLine(item.text)) {
      reader.out.digest = true;
      return;
    } else reader.acceptLine(item.text, item.line);
  }
}

function isDigestLine(text: string): boolean {
  if (!text.includes('digest')) return false;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) && isDigest(v as Record<string, unknown>);
  } catch {
    return false;
  }
}

export async function processFile(task: FileTask, sink: RowSink): Promise<FileOutcome> {
  let bytes = 0;
  try {
    bytes = (await stat(task.path)).size;
  } catch {
    // Reported below when the read fails.
  }
  const reader = new FileReader(task, bytes, sink);
  if (isDigestPath(task.path)) {
    reader.out.digest = true;
    return reader.out;
  }
  try {
    if (JSON_LINES.test(task.path)) await readJsonLines(reader);
    else await readDocument(reader);
  } catch (err) {
    reader.fail(`cannot read: ${err instanceof Error ? err.message : String(err)}`);
  }
  reader.flush();
  return reader.out;
}
