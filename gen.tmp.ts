import { generateDemo } from './src/demo';
(async () => {
  const t = performance.now();
  const out = await generateDemo({ events: Number(process.argv[2]), out: process.argv[3], seed: 42, days: 30, end: new Date('2025-06-01T00:00:00Z') });
  console.log(JSON.stringify(out), ((performance.now() - t) / 1000).toFixed(1) + 's');
})();
