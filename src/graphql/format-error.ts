import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { ErrorCode, TrailgraphError, isErrorCode } from '../errors';
import { isTokenLimitError } from './limits';

/** Apollo's own codes for bad requests: they describe the request, not our internals. */
const REQUEST_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

export type Logger = { error: (obj: object, msg: string) => void };

/**
 * The error contract: our own errors and Apollo's request errors keep their
 * code; a value of the wrong type for an argument is BAD_USER_INPUT;
 * everything else is masked as INTERNAL_SERVER_ERROR and logged whole.
 */
export function formatError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof TrailgraphError) {
      const { cause, ...extensions } = original.extensions;
      // A failed statement is logged with the engine's reason; the caller gets the code only.
      if (extensions.code === ErrorCode.HISTORY_QUERY_FAILED) log.error({ cause, reason: extensions.reason, path: formatted.path }, 'history statement failed');
      return { ...formatted, extensions };
    }
    // Apollo re-codes validation errors; our own validation rules keep theirs.
    const inner = original instanceof GraphQLError ? original.originalError : undefined;
    if (inner instanceof GraphQLError && (inner.extensions.code === ErrorCode.QUERY_TOO_COMPLEX || inner.extensions.code === ErrorCode.BAD_USER_INPUT)) {
      // The limits rule's own: the code, and the estimate and the limit passed.
      return { ...formatted, extensions: { ...inner.extensions } };
    }
    const code = formatted.extensions?.code;
    if (code === 'GRAPHQL_PARSE_FAILED' && isTokenLimitError(formatted.message)) {
      // The document is too large to parse, as the limits count it (parseOptionsOf).
      return { message: formatted.message, extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, limit: 'maxTokens' } };
    }
    if (isErrorCode(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) return formatted;
    if (typeof code === 'string' && REQUEST_CODES.has(code)) {
      // Arguments of the wrong type (a DateTime that is not one) are the caller's input.
      const badValue = code === 'GRAPHQL_VALIDATION_FAILED' && /^(Expected value of type|Expected type|Argument .* has invalid value)/.test(formatted.message);
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code: badValue ? ErrorCode.BAD_USER_INPUT : code } };
    }
    log.error({ err: original }, 'unexpected error in a GraphQL request');
    return { message: 'Internal server error', path: formatted.path, locations: formatted.locations, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  };
}
