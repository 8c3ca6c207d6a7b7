import { graphCorpus } from './test/support/graph-corpus';
import { sessionSummaries, sessionRefOf, timeOf } from './test/support/graph-reference';
const recs = graphCorpus();
const ss = sessionSummaries(recs);
for (const s of ss.values()) {
  if (!s.createdAt) continue;
  const st = Date.parse(s.createdAt);
  const bad = recs.filter(r => sessionRefOf(r) === s.ref && (Date.parse(timeOf(r)) < st - 600000 || Date.parse(timeOf(r)) > st + 13*3600000));
  if (bad.length) console.log(s.ref.slice(0, 90), s.eventCount, bad.length, bad[0].eventName, timeOf(bad[0]));
}
