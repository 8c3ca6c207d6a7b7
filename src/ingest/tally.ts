import { Clash } from './load';
import { FileOutcome, positionText } from './file-reader';
import { FileReport, IngestOptions, IngestProblem, IngestSummary } from './types';

/** The running account of an ingest: per file, records = stored + duplicates + rejected. */
export class Tally {
  private readonly reports: FileReport[] = [];
  private readonly problems: IngestProblem[] = [];
  private filesDone = 0;
  private bytesDone = 0;
  private records = 0;
  private stored = 0;
  private failedInputs = 0;

  constructor(readonly bytesTotal: number, private readonly filesTotal: number, private readonly opts: IngestOptions) {}

  private problem(p: IngestProblem): void {
    this.problems.push(p);
    this.opts.onProblem?.(p);
  }

  private progress(): void {
    this.opts.onProgress?.({
      filesDone: this.filesDone, filesTotal: this.filesTotal, bytesDone: this.bytesDone, bytesTotal: this.bytesTotal,
      records: this.records, stored: this.stored,
    });
  }

  /** A named path that could not be read at all. */
  failedInput(p: IngestProblem): void {
    this.failedInputs++;
    this.problem(p);
  }

  /** A file was read: its own problems are known now; its rows are not loaded yet. */
  read(o: FileOutcome): void {
    this.filesDone++;
    this.bytesDone += o.bytes;
    this.records += o.records;
    for (const p of o.problems) this.problem(p);
    this.progress();
  }

  /** A batch was loaded: rows kept out as duplicates or conflicts are settled per file. */
  loaded(outcomes: readonly FileOutcome[], clashes: readonly Clash[]): void {
    const byFile = new Map<number, Clash[]>();
    for (const c of clashes) {
      const list = byFile.get(c.file);
      if (list) list.push(c);
      else byFile.set(c.file, [c]);
    }
    for (const o of outcomes) {
      let duplicates = 0;
      let conflicts = 0;
      for (const c of byFile.get(o.index) ?? []) {
        if (c.same) {
          duplicates++;
          continue;
        }
        conflicts++;
        const where = c.stored ? 'is already stored' : 'was read earlier in this ingest';
        this.problem({ path: o.path, position: positionText(o.label, c.position), reason: `conflict: eventID ${c.eventId} ${where} with a different record` });
      }
      const stored = o.rows - duplicates - conflicts;
      this.stored += stored;
      this.reports.push({
        path: o.path, digest: o.digest, records: o.records, stored, duplicates, rejected: o.rejected + conflicts, failed: o.failed,
      });
    }
    this.progress();
  }

  summary(elapsedMs: number): IngestSummary {
    // Files are read concurrently: problems are reported in file order, then position (file-wide ones first).
    const at = (p: IngestProblem): number => (p.position === undefined ? -1 : Number(/\d+/.exec(p.position)?.[0] ?? -1));
    const problems = [...this.problems].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : at(a) - at(b)));
    const perFile = [...this.reports].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const sum = (f: (r: FileReport) => number): number => perFile.reduce((a, r) => a + f(r), 0);
    return {
      files: perFile.length,
      digestFiles: perFile.filter((r) => r.digest).length,
      failedFiles: perFile.filter((r) => r.failed).length + this.failedInputs,
      records: sum((r) => r.records),
      stored: sum((r) => r.stored),
      duplicates: sum((r) => r.duplicates),
      rejected: sum((r) => r.rejected),
      problems,
      perFile,
      elapsedMs,
    };
  }
}
