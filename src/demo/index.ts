/** The demo data generator: realistic CloudTrail log files, deterministic per seed. */
export { generateDemo, DemoOptions, DEFAULT_DAYS, DEFAULT_SEED } from './generate';
