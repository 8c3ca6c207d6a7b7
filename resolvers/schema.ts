import 'reflect-metadata';
import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { RESOLVERS } from './index';
import { DateTimeScalar } from './common/scalars';

let built: Promise<GraphQLSchema> | undefined;

/** The API schema (built once per process). */
export function apiSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: RESOLVERS,
    validate: false,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
  });
  return built;
}

/** schema.graphql's text: sorted, so the checked-in file diffs cleanly. */
export async function schemaText(): Promise<string> {
  return printSchema(lexicographicSortSchema(await apiSchema())) + '\n';
}
