import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FastifyInstance } from 'fastify';
import { GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { apiSchema } from '../resolvers/schema';
import { loadConfig } from '../src/config';
import { ASSET_NAMES } from '../src/graphiql/assets';
import { deepestTypeRef } from '../src/graphiql/introspection';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { buildApp } from '../src/server';
import { gql } from './support/api';
import { fixedClock } from './support/clock';

/** The explorer's routes, over HTTP: the page, its assets from node_modules, and its configuration. */
let app: FastifyInstance;
beforeAll(async () => {
  app = await buildApp(loadConfig([], {}).config, { engine: await DuckDbEngine.open(':memory:'), logger: false, clock: fixedClock() });
});
afterAll(() => app.close());

describe('GET /graphql from a browser', () => {
  test('points to the explorer, with nothing loaded from elsewhere', async () => {
    const res = await app.inject({ method: 'GET', url: '/graphql', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('url=/graphiql');
    expect(res.body).not.toMatch(/https?:\/\//);
  });
});

describe('GET /graphiql', () => {
  test('serves the page, with every script and style from this server', async () => {
    const res = await app.inject({ method: 'GET', url: '/graphiql' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
    const urls = [...res.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]).filter((u) => u !== 'data:,');
    expect(urls.sort()).toEqual(ASSET_NAMES.map((n) => `/graphiql/assets/${n}`).sort());
    expect(res.body).not.toMatch(/https?:\/\//);
  });

  test.each(ASSET_NAMES.map((n) => [n]))('serves %s, gzipped when asked, and answers 304 when unchanged', async (name) => {
    const plain = await app.inject({ method: 'GET', url: `/graphiql/assets/${name}` });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-type']).toMatch(name.endsWith('.js') ? /javascript/ : /text\/css/);
    expect(plain.rawPayload.length).toBeGreaterThan(500);
    const zipped = await app.inject({ method: 'GET', url: `/graphiql/assets/${name}`, headers: { 'accept-encoding': 'gzip, br' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.rawPayload).equals(plain.rawPayload)).toBe(true);
    const again = await app.inject({ method: 'GET', url: `/graphiql/assets/${name}`, headers: { 'if-none-match': String(plain.headers.etag) } });
    expect(again.statusCode).toBe(304);
  });

  test('the GraphiQL and React files are the npm packages\' own builds', async () => {
    const react = readFileSync(join(dirname(require.resolve('react/package.json')), 'umd/react.production.min.js'));
    expect((await app.inject({ method: 'GET', url: '/graphiql/assets/react.js' })).rawPayload.equals(react)).toBe(true);
    const graphiql = (await app.inject({ method: 'GET', url: '/graphiql/assets/graphiql.js' })).body;
    expect(graphiql).toContain('GraphiQL');
    expect(graphiql).not.toContain('sourceMappingURL');
  });

  test('any other asset name is not found', async () => {
    for (const url of ['/graphiql/assets/package.json', '/graphiql/assets/..%2F..%2Fpackage.json', '/graphiql/assets/constructor', '/graphiql/assets/toString']) {
      expect([url, (await app.inject({ method: 'GET', url })).statusCode]).toEqual([url, 404]);
    }
  });
});

describe('GET /graphiql/explorer.json', () => {
  test('gives the endpoint, the investigations and an introspection query the API accepts', async () => {
    const res = await app.inject({ method: 'GET', url: '/graphiql/explorer.json' });
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body) as { endpoint: string; subscriptionEndpoint: string; introspectionQuery: string; investigations: Array<{ id: string; query: string }> };
    expect(body.endpoint).toBe('/graphql');
    expect(body.subscriptionEndpoint).toBe('/graphql');
    expect(body.investigations.length).toBeGreaterThanOrEqual(9);
    const r = await gql<{ __schema: { types: Array<{ name: string }> } }>(app, body.introspectionQuery);
    expect(r.errors).toBeUndefined();
    const names = r.data!.__schema.types.map((t) => t.name);
    for (const n of ['Event', 'EventGroup', 'EventDimension', 'TimeBucket', 'ClientTool']) expect(names).toContain(n);
  });

  test('the introspection query reaches as deep as the schema\'s types go', async () => {
    expect(deepestTypeRef(await apiSchema())).toBeGreaterThanOrEqual(3); // [EventDimension!]! at least
    const deep = new GraphQLSchema({
      query: new GraphQLObjectType({ name: 'Query', fields: { m: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(new GraphQLList(GraphQLString)))) } } }),
    });
    expect(deepestTypeRef(deep)).toBe(4);
  });
});
