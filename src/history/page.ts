import { badInput } from '../errors';

export type SortOrder = 'ASC' | 'DESC';

/** Relay connection arguments, validated into one direction of travel. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface PageRequest {
  /** Rows wanted. */
  size: number;
  /** 'forward' = first/after; 'backward' = last/before. */
  direction: 'forward' | 'backward';
  after: string | null;
  before: string | null;
}

export function pageRequest(args: PageArgs, limits: { defaultPageSize: number; maxPageSize: number }): PageRequest {
  const { first, last } = args;
  if (first != null && last != null) throw badInput('first and last cannot be used together', { argument: 'first' });
  for (const [name, n] of [['first', first], ['last', last]] as const) {
    if (n == null) continue;
    if (!Number.isInteger(n) || n < 0) throw badInput(`${name} must be a non-negative integer`, { argument: name });
    if (n > limits.maxPageSize) throw badInput(`${name} must be at most ${limits.maxPageSize}`, { argument: name, maxPageSize: limits.maxPageSize });
  }
  const direction = last != null ? 'backward' : 'forward';
  return { size: first ?? last ?? limits.defaultPageSize, direction, after: args.after ?? null, before: args.before ?? null };
}

export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}
