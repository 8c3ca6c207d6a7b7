import { GraphQLScalarType, Kind } from 'graphql';
import { GraphQLJSON } from 'graphql-scalars';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** Our instants print like CloudTrail's: second precision, UTC, with a Z. */
export function formatInstant(d: Date): string {
  const iso = d.toISOString();
  return iso.endsWith('.000Z') ? iso.replace('.000Z', 'Z') : iso;
}

function parseInstant(value: unknown): Date {
  if (typeof value !== 'string' || !RFC3339.test(value)) {
    throw new TypeError('DateTime must be an RFC 3339 instant such as 2024-03-20T11:07:02Z');
  }
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new TypeError('DateTime must be a valid instant');
  return d;
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An RFC 3339 instant in UTC, e.g. 2024-03-20T11:07:02Z.',
  serialize(value) {
    if (value instanceof Date) return formatInstant(value);
    if (typeof value === 'string') return formatInstant(parseInstant(value));
    throw new TypeError('DateTime cannot represent this value');
  },
  parseValue: parseInstant,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new TypeError('DateTime must be a string');
    return parseInstant(ast.value);
  },
});

export const JSONScalar = new GraphQLScalarType({
  ...GraphQLJSON.toConfig(),
  description: "Any JSON value (CloudTrail's requestParameters, responseElements, ...).",
});
