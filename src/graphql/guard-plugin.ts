import { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { Context } from '../context';
import { ErrorCode } from '../errors';
import { QueryLimits, variableSizeProblem } from './limits';

/**
 * Request variables within the size limits (lists and strings, at any depth),
 * checked once the operation is known and before anything runs: a filter of
 * 50,000 event names or one ARN of 900,000 characters is BAD_USER_INPUT
 * (HTTP 400), as the same value written in the document is (limitsRule).
 */
export function inputLimitsPlugin(limits: QueryLimits): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request }) {
          const problem = variableSizeProblem(request.variables ?? {}, limits);
          if (problem) throw new GraphQLError(`variable too large: ${problem}`, { extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } } });
        },
      };
    },
  };
}

/**
 * The response cap, the last line of defence behind the cost limits: an
 * answer whose JSON would pass `maxBytes` (or that JSON cannot even hold in
 * one string) becomes one RESPONSE_TOO_LARGE error, never a crash.
 */
export function cappedStringify(maxBytes: number, log: { warn: (obj: object, msg: string) => void }) {
  return (value: unknown): string => {
    let text: string | null = null;
    try {
      text = JSON.stringify(value);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
    }
    if (text !== null && text.length <= maxBytes && (text.length * 3 <= maxBytes || Buffer.byteLength(text) <= maxBytes)) return text;
    log.warn({ maxBytes, bytes: text === null ? null : Buffer.byteLength(text) }, 'response over the cap refused');
    const extensions = value !== null && typeof value === 'object' && 'extensions' in value ? (value as { extensions?: unknown }).extensions : undefined;
    return JSON.stringify({
      errors: [{ message: `the response exceeds ${maxBytes} bytes; ask for smaller pages`, extensions: { code: ErrorCode.RESPONSE_TOO_LARGE, maxBytes } }],
      ...(extensions ? { extensions } : {}),
    });
  };
}
