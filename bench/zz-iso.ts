import { readFileSync } from 'node:fs';
import { ALL_ACTIONS } from '../src/authz/actions';
import { CedarWasmEngine, checkPolicySet } from '../src/authz/cedar-engine';
import { DecisionCache } from '../src/authz/decision-cache';
import { dynamoClient, ensureDecisionTable, startEmbeddedDynamo } from '../src/authz/dynamo';
import { SILENT } from '../src/authz/log';

(async () => {
  const mode = process.argv[2];
  const accounts = Array.from({ length: 250 }, (_, i) => String(100000000000 + i));
  if (mode === 'cedar') {
    const e = new CedarWasmEngine(checkPolicySet(readFileSync('policies/example.cedar', 'utf8'), readFileSync('policies/trailgraph.cedarschema', 'utf8')), SILENT);
    for (let round = 0; round < 60; round++) {
      const caller = { id: `apiKey:b${round}`, name: `b${round}`, groups: ['compliance'], kind: 'apiKey' as const, attributes: {} };
      await e.decide(ALL_ACTIONS.flatMap((action) => accounts.map((account) => ({ caller, action, account }))));
      console.log('round', round);
    }
  } else {
    const d = await startEmbeddedDynamo();
    const client = dynamoClient({ endpoint: d.endpoint, localCredentials: true });
    await ensureDecisionTable(client, 'zz-table', SILENT);
    const cache = new DecisionCache(client, 'zz-table', 300);
    for (let round = 0; round < 60; round++) {
      const keys = ALL_ACTIONS.flatMap((action) => accounts.map((account) => ({ callerKey: `c${round}`, action, account, version: 'v' })));
      await cache.getMany(keys);
      await cache.putMany(keys.map((key) => ({ key, decision: 'allow' as const })));
      await cache.getMany(keys);
      console.log('round', round);
    }
    await d.close();
  }
  console.log('ok');
})().catch((e) => { console.error(e); process.exit(1); });
