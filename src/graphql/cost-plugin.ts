import { ApolloServerPlugin } from '@apollo/server';
import { Context } from '../context';

/** Adds what the request cost to `extensions.cost`, and logs it. */
export function costPlugin(log: { info: (obj: object, msg: string) => void }): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue, operationName }) {
          const cost = contextValue.query.cost.toJSON();
          if (response.body.kind === 'single') {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, cost };
          }
          log.info({ operationName, cost }, 'graphql request');
        },
      };
    },
  };
}
