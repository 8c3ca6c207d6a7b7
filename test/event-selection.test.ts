import { GraphQLResolveInfo, buildSchema, execute, parse } from 'graphql';
import { eventsProjection } from '../resolvers/event/event-selection';
import { EventProjection } from '../src/history/event-projection';

// Just enough of the API's shape for the selection walk: it reads field names only.
const schema = buildSchema(`
  type Query { events: EventConnection }
  type EventConnection { nodes: [Event] edges: [EventEdge] pageInfo: PageInfo }
  type EventEdge { cursor: String node: Event }
  type PageInfo { endCursor: String }
  type UserIdentity { arn: String type: String }
  type Event { id: ID eventName: String eventTime: String userIdentity: UserIdentity sourceIpAddress: String somethingNew: String }
`);

/** The projection eventsProjection gives for the `events` field of a document, executed `times` times. */
function projections(document: string, times: number): Array<EventProjection | undefined> {
  const doc = parse(document);
  const seen: Array<EventProjection | undefined> = [];
  const rootValue = {
    events: (_args: unknown, _ctx: unknown, info: GraphQLResolveInfo) => {
      seen.push(eventsProjection(info));
      return null;
    },
  };
  for (let i = 0; i < times; i++) execute({ schema, document: doc, rootValue });
  return seen;
}

describe('events projection of a selection', () => {
  it('is made once per field of a document and equals the columns the selection reads', () => {
    const [first, second] = projections('{ events { edges { cursor node { id eventName userIdentity { arn } } } pageInfo { endCursor } } }', 2);
    expect(first).toEqual(['eventname', 'useridentity.arn']);
    // The same field node of the same (cached) document: the very same projection.
    expect(second).toBe(first);
  });

  it('follows fragments, and differs between documents', () => {
    const [withFragment] = projections('query { events { nodes { ...E } } } fragment E on Event { sourceIpAddress eventTime }', 1);
    expect(withFragment).toEqual(['sourceipaddress']);
    const [other] = projections('{ events { nodes { eventName } } }', 1);
    expect(other).toEqual(['eventname']);
  });

  it('is every column (undefined) for a field it does not know, every time', () => {
    expect(projections('{ events { nodes { id somethingNew } } }', 2)).toEqual([undefined, undefined]);
  });
});
