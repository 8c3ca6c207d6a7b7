import { ErrorCode, TrailgraphError } from '../../errors';
import { SqlParam } from '../sql/sql';

/** Athena's limit on one execution parameter (StartQueryExecution ExecutionParameters). */
export const MAX_PARAMETER_LENGTH = 1024;

/**
 * One bound value as Athena wants it: the text of a SQL literal, substituted
 * for its `?` as a value (never spliced into the statement text).
 * Strings are quoted with '' escaping, whole numbers are digits, other
 * numbers are DOUBLE literals (Trino reads 1.5 as DECIMAL), booleans are
 * true/false.
 */
export function toLiteral(value: SqlParam): string {
  switch (typeof value) {
    case 'string':
      return `'${value.replace(/'/g, "''")}'`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`athena: cannot bind ${value}`);
      if (Number.isSafeInteger(value)) return String(value);
      return value.toExponential().toUpperCase().replace('E+', 'E');
  }
}

/** ExecutionParameters for a statement's params; undefined when it has none (Athena wants one or more). */
export function executionParameters(params: readonly SqlParam[]): string[] | undefined {
  if (params.length === 0) return undefined;
  return params.map((p) => {
    const literal = toLiteral(p);
    if (literal.length > MAX_PARAMETER_LENGTH) {
      throw new TrailgraphError(ErrorCode.BAD_USER_INPUT, `a value is longer than the history engine accepts (${MAX_PARAMETER_LENGTH - 2} characters)`, {
        maxLength: MAX_PARAMETER_LENGTH - 2,
      });
    }
    return literal;
  });
}
