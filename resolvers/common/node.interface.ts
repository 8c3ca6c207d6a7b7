import { Field, ID, InterfaceType } from 'type-graphql';

@InterfaceType({ resolveType: (value: { __typename?: string }) => value.__typename })
export abstract class Node {
  @Field(() => ID, {
    description:
      "Opaque global id. Ids encode what the store needs to find the object\ncheaply (for example the event's day, account and region), so that\nnode(id:) never scans the whole history.",
  })
  id!: string;
}
