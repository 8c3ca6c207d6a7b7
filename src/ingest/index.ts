/** Reading CloudTrail log files into the embedded store. */
export { ingestPaths, countEvents } from './ingest';
export type { FileReport, IngestOptions, IngestProblem, IngestProgress, IngestSummary } from './types';
export { INGEST_STEPS } from './steps';
export type { IngestStep, StepListener } from './steps';
