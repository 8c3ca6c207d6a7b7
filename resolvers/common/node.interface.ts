import { Field, ID, InterfaceType } from 'type-graphql';

// No resolveType: type-graphql then resolves a node by the class it is an instance of (Event,
// Principal, Session, Resource), synchronously. Its wrapper around a resolveType option is async,
// which graphql-jit (src/graphql/jit-executor.ts) does not await.
@InterfaceType()
export abstract class Node {
  @Field(() => ID, {
    description:
      "Opaque global id. Ids encode what the store needs to find the object\ncheaply (for example the event's day, account and region), so that\nnode(id:) never scans the whole history.",
  })
  id!: string;
}
