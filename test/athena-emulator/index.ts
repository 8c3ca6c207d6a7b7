export { AthenaEmulator } from './server';
export { DEFAULT_KNOBS } from './knobs';
export type { EmulatorKnobs, EmulatorStats } from './knobs';
