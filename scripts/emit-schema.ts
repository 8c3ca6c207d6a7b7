import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaText } from '../resolvers/schema';

/** Writes schema.graphql, or with --check fails when the checked-in file is stale. */
async function main(): Promise<number> {
  const path = join(__dirname, '..', 'schema.graphql');
  const text = await schemaText();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      // a missing file is stale too
    }
    if (current !== text) {
      console.error('schema.graphql is stale: run `npm run schema:emit` and commit it');
      return 1;
    }
    console.log('schema.graphql is up to date');
    return 0;
  }
  writeFileSync(path, text);
  console.log(`wrote ${path}`);
  return 0;
}

main().then((code) => process.exit(code));
