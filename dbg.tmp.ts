import { corpusRecords, storeWith } from './test/support/fixture-store';
import { UNRESTRICTED } from './src/history/event-filter';
import * as S from './src/history/graph/sessions';
import { parseRef } from './src/history/graph/session-ref';
async function main() {
  const eng = await storeWith(corpusRecords());
  const ref = parseRef('ASSUMED_ROLE|2025-02-14T19:42:05Z|SAMPLE_PRINCIPAL_ID:bobson.dugnutt');
  const s = S.sessionLookupsSql([{ ref, window: { from: new Date('2025-02-14T00:00:00Z'), to: new Date('2025-02-16T00:00:00Z') } }], UNRESTRICTED);
  console.log(s.text, s.params.slice(-8));
  console.log((await eng.query(s)).rows);
}
main();
