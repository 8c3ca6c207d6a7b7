import { parseTrino, bridgeGrammarGaps } from './test/athena-emulator/partitions';
for (const q of [
  `SELECT e.eventid, u.arn, element_at(e.types, u.i) AS t FROM (SELECT eventid, ARRAY['a'] AS arns, ARRAY['x'] AS types FROM cloudtrail WHERE day = '2024/01/01') e CROSS JOIN UNNEST(e.arns) WITH ORDINALITY AS u(arn, i)`,
]) { try { parseTrino(bridgeGrammarGaps(q)); console.log('ok', q.slice(0, 60)); } catch (e) { console.log('FAIL', q.slice(0, 60), String(e).slice(0, 200)); } }
