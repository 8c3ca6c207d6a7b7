import { ApolloServerPlugin } from '@apollo/server';
import { Context } from '../context';
import { requestEstimateOf } from './guard-plugin';
import { estimateOf } from './limits';

/** Objects in the lists of an answer: the nodes it actually returned (beside the estimate the limits checked). */
export function countNodes(value: unknown): number {
  if (Array.isArray(value)) {
    let n = 0;
    for (const v of value) n += (v !== null && typeof v === 'object' && !Array.isArray(v) ? 1 : 0) + countNodes(v);
    return n;
  }
  if (value !== null && typeof value === 'object') {
    let n = 0;
    for (const v of Object.values(value)) n += countNodes(v);
    return n;
  }
  return 0;
}

/**
 * Adds what the request cost to `extensions.cost`, and logs it: the history
 * statements and decisions, and the nodes the document was estimated to ask
 * (src/graphql/limits.ts) beside those it returned, as Shopify reports
 * requested and actual cost.
 */
export function costPlugin(log: { info: (obj: object, msg: string) => void }): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue, operationName, document }) {
          const estimate = requestEstimateOf(contextValue) ?? (document ? estimateOf(document, operationName) : undefined);
          const nodes = {
            requested: estimate?.nodes ?? 0,
            actual: response.body.kind === 'single' ? countNodes(response.body.singleResult.data) : 0,
          };
          const cost = { ...contextValue.query.cost.toJSON(), nodes, pages: estimate?.pages ?? 0 };
          if (response.body.kind === 'single') {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, cost };
          }
          log.info({ operationName, caller: contextValue.authz.caller.id, cost }, 'graphql request');
        },
      };
    },
  };
}
