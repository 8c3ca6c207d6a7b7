import { GraphQLError, Kind, ValueNode } from 'graphql';
import { ErrorCode } from '../errors';
import type { QueryLimits } from './limits';

/**
 * Input size limits (config maxListValues, maxStringLength): every list and
 * string a request gives, written in the document (limitsRule) or sent as a
 * variable (inputLimitsPlugin), at any depth of an input object.
 */
export function tooLarge(node: ValueNode, what: string): GraphQLError {
  return new GraphQLError(`argument too large: ${what}`, { nodes: [node], extensions: { code: ErrorCode.BAD_USER_INPUT } });
}

/** The size problem of one literal value (lists and strings, at any depth of an input object), or null. */
export function literalSizeProblem(value: ValueNode, limits: QueryLimits): string | null {
  switch (value.kind) {
    case Kind.STRING:
      return value.value.length > limits.maxStringLength ? `a string of ${value.value.length} characters exceeds ${limits.maxStringLength}` : null;
    case Kind.LIST:
      if (value.values.length > limits.maxListValues) return `a list of ${value.values.length} values exceeds ${limits.maxListValues}`;
      for (const v of value.values) {
        const p = literalSizeProblem(v, limits);
        if (p) return p;
      }
      return null;
    case Kind.OBJECT:
      for (const f of value.fields) {
        const p = literalSizeProblem(f.value, limits);
        if (p) return p;
      }
      return null;
    default:
      return null;
  }
}

/**
 * The size problem of request variables (lists and strings at any depth), or
 * null. Variables are the request's, not the document's: checked per request
 * before execution (guard-plugin.ts inputLimitsPlugin).
 */
export function variableSizeProblem(value: unknown, limits: QueryLimits): string | null {
  if (typeof value === 'string') return value.length > limits.maxStringLength ? `a string of ${value.length} characters exceeds ${limits.maxStringLength}` : null;
  if (Array.isArray(value)) {
    if (value.length > limits.maxListValues) return `a list of ${value.length} values exceeds ${limits.maxListValues}`;
    for (const v of value) {
      const p = variableSizeProblem(v, limits);
      if (p) return p;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) {
      const p = variableSizeProblem(v, limits);
      if (p) return p;
    }
  }
  return null;
}
