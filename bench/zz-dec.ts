import 'reflect-metadata';
import { decisionsBench } from './authz';
import { table } from './harness';
decisionsBench(Number(process.argv[2] ?? 5)).then((rows) => console.log(table(rows)), (e) => { console.error(e); process.exit(1); });
