import { GraphQLError } from 'graphql';

/** The error contract: clients and tests read `extensions.code`, never the message. */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  HISTORY_QUERY_FAILED = 'HISTORY_QUERY_FAILED',
  QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX',
  /** The caller spent its hourly budget of history statements or bytes scanned (--budgets). */
  RATE_LIMITED = 'RATE_LIMITED',
  /** A part the request needs is down (the access log cannot be written, fail-closed). */
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  /** The answer would exceed the response cap (config maxResponseBytes): the last line of defence behind the cost limits. */
  RESPONSE_TOO_LARGE = 'RESPONSE_TOO_LARGE',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

/** An error we mean to show the caller; anything else is masked. */
export class TrailgraphError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

export function badInput(message: string, extra: Record<string, unknown> = {}): TrailgraphError {
  return new TrailgraphError(ErrorCode.BAD_USER_INPUT, message, extra);
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (Object.values(ErrorCode) as string[]).includes(value);
}
