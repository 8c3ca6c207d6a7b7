import { ApolloServerPlugin } from '@apollo/server';

/**
 * What a browser gets at GET /graphql: our own explorer (/graphiql, served
 * from node_modules). Apollo's default landing pages load Apollo's sandbox
 * from a CDN, which is neither what we ship nor reachable offline, and differ
 * between development and production mode.
 */
export function explorerLandingPage<T extends object>(): ApolloServerPlugin<T> {
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return {
            html: '<!doctype html><html><head><meta charset="utf-8"><title>trailgraph</title><meta http-equiv="refresh" content="0; url=/graphiql"></head>'
              + '<body><p>The GraphQL explorer is at <a href="/graphiql">/graphiql</a>.</p></body></html>',
          };
        },
      };
    },
  };
}
