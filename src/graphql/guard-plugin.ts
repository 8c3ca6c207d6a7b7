import { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { Context } from '../context';
import { ErrorCode } from '../errors';
import { variableSizeProblem } from './input-limits';
import { DocumentCost, LimitPassed, QueryLimits, documentCost, estimateOf, tooComplex } from './limits';

/** The estimate of requests whose page sizes come from their variables, by request context. */
const requestEstimates = new WeakMap<object, DocumentCost>();

/** The request's own estimate where its page sizes are variables (else the document's: estimateOf). */
export function requestEstimateOf(contextValue: object): DocumentCost | undefined {
  return requestEstimates.get(contextValue);
}

/**
 * Request variables within the size limits (lists and strings, at any depth),
 * checked once the operation is known and before anything runs: a filter of
 * 50,000 event names or one ARN of 900,000 characters is BAD_USER_INPUT
 * (HTTP 400), as the same value written in the document is (limitsRule).
 * Where a page size is a variable, the nodes are counted again with the
 * request's values (QUERY_TOO_COMPLEX past the limit).
 */
export function inputLimitsPlugin(limits: QueryLimits): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation, operationName, schema, contextValue }) {
          const problem = variableSizeProblem(request.variables ?? {}, limits);
          if (problem) throw new GraphQLError(`variable too large: ${problem}`, { extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } } });
          // A page size from a variable: the nodes with this request's values (linear, as the rule's count).
          if (!operation || !estimateOf(document, operationName)?.variablePages) return;
          try {
            requestEstimates.set(contextValue, documentCost(schema, document, operation, limits, request.variables ?? {}));
          } catch (err) {
            if (err instanceof LimitPassed) throw tooComplex(operation, err, true);
            throw err;
          }
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
