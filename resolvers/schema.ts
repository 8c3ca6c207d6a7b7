import 'reflect-metadata';
import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { PubSub, buildSchema } from 'type-graphql';
import { RESOLVERS } from './index';
import { DateTimeScalar } from './common/scalars';

const NO_TOPICS: PubSub = {
  publish() {
    throw new Error('subscriptions read the store; there are no topics to publish to');
  },
  subscribe() {
    throw new Error('subscriptions read the store; there are no topics to subscribe to');
  },
};

let built: Promise<GraphQLSchema> | undefined;

/** The API schema (built once per process). */
export function apiSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: RESOLVERS,
    validate: false,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    // type-graphql asks for a pub/sub once a schema has subscriptions; ours read the store
    // (src/subscriptions), and one that names a topic is a mistake.
    pubSub: NO_TOPICS,
  });
  return built;
}

/** schema.graphql's text: sorted, so the checked-in file diffs cleanly. */
export async function schemaText(): Promise<string> {
  return printSchema(lexicographicSortSchema(await apiSchema())) + '\n';
}
