/** The demo data generator: realistic CloudTrail log files, deterministic per seed. */
export { generateDemo, DEFAULT_DAYS, DEFAULT_SEED } from './generate';
export type { DemoOptions } from './generate';
