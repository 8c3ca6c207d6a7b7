import { existsSync, readFileSync } from 'node:fs';
import { GraphQLError, coerceInputValue, isInputObjectType } from 'graphql';
import { apiSchema } from '../../resolvers/schema';
import { EventFilter } from '../../resolvers/event/event-filter.input';
import { badInput } from '../errors';
import { variableSizeProblem } from '../graphql/input-limits';
import type { QueryLimits } from '../graphql/limits';

/**
 * `--filter FILE|JSON`: the API's EventFilter, as JSON, checked exactly as
 * the API checks a `$filter: EventFilter` variable: its size against the
 * input limits (guard-plugin.ts inputLimitsPlugin), then coerced by the
 * schema's own input type (fields, enums, DateTime), so a filter the API
 * refuses is refused here with the same code (BAD_USER_INPUT).
 */
export function filterJson(arg: string): unknown {
  const inline = /^\s*[[{]/.test(arg);
  let text = arg;
  if (!inline) {
    if (!existsSync(arg)) throw badInput(`no file ${arg} (give the EventFilter as inline JSON or a file holding it)`, { argument: 'filter' });
    text = readFileSync(arg, 'utf8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw badInput(`the filter is not JSON (${(err as Error).message})`, { argument: 'filter' });
  }
}

export async function eventFilterOf(value: unknown, limits: QueryLimits): Promise<EventFilter> {
  const size = variableSizeProblem(value, limits);
  if (size) throw badInput(`argument too large: ${size}`, { argument: 'filter' });
  const type = (await apiSchema()).getType('EventFilter');
  if (!isInputObjectType(type)) throw new Error('the schema has no EventFilter input type');
  let first: GraphQLError | undefined;
  const coerced: unknown = coerceInputValue(value, type, (path, _invalid, error) => {
    first ??= badInput(`${['filter', ...path].join('.')}: ${error.message}`, { argument: 'filter' });
  });
  if (first) throw first;
  return coerced as EventFilter;
}
