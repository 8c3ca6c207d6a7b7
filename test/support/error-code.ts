import { GraphQLError } from 'graphql';
import { formatError } from '../../src/graphql/format-error';

/**
 * The code a client would see for what `work` throws, as the server's error
 * contract gives it (src/graphql/format-error.ts: our coded errors keep their
 * code, anything else is INTERNAL_SERVER_ERROR); 'NO ERROR' when it does not
 * throw. For tests that call a resolver directly and assert the error by code.
 */
export async function errorCodeOf(work: Promise<unknown>): Promise<string> {
  let thrown: unknown;
  try {
    await work;
    return 'NO ERROR';
  } catch (e) {
    thrown = e;
  }
  const asGraphql = thrown instanceof GraphQLError ? thrown : new GraphQLError(String(thrown), { originalError: thrown instanceof Error ? thrown : undefined });
  const formatted = formatError({ error: () => undefined })(asGraphql.toJSON(), asGraphql);
  return String(formatted.extensions?.code);
}
