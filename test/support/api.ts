import { FastifyInstance } from 'fastify';

export interface GqlResponse<T = Record<string, unknown>> {
  status: number;
  data: T | null;
  errors?: Array<{ message: string; path?: (string | number)[]; extensions?: { code?: string } & Record<string, unknown> }>;
  extensions?: { cost?: Record<string, number> };
}

/** POSTs a GraphQL request through app.inject. */
export async function gql<T = Record<string, unknown>>(
  app: FastifyInstance,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GqlResponse<T>> {
  const res = await app.inject({ method: 'POST', url: '/graphql', payload: { query, variables }, headers });
  const body = JSON.parse(res.body) as Omit<GqlResponse<T>, 'status'>;
  return { status: res.statusCode, ...body };
}

export function codes(r: GqlResponse): string[] {
  return (r.errors ?? []).map((e) => String(e.extensions?.code));
}
