import { IngestSummary } from '../ingest/types';

/** Ingest summaries added up (an ingest of several sources, or of one source in batches). */
export function emptySummary(): IngestSummary {
  return { files: 0, digestFiles: 0, failedFiles: 0, records: 0, stored: 0, duplicates: 0, rejected: 0, problems: [], perFile: [], elapsedMs: 0 };
}

export function mergeSummaries(a: IngestSummary, b: IngestSummary): IngestSummary {
  return {
    ...a,
    files: a.files + b.files,
    digestFiles: a.digestFiles + b.digestFiles,
    failedFiles: a.failedFiles + b.failedFiles,
    records: a.records + b.records,
    stored: a.stored + b.stored,
    duplicates: a.duplicates + b.duplicates,
    rejected: a.rejected + b.rejected,
    problems: [...a.problems, ...b.problems],
    perFile: [...a.perFile, ...b.perFile],
    elapsedMs: a.elapsedMs + b.elapsedMs,
  };
}
