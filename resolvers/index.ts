import { NonEmptyArray } from 'type-graphql';
import { EventFieldsResolver } from './event/event-fields.resolver';
import { EventResolver } from './event/event.resolver';
import { NodeResolver } from './node/node.resolver';

/** Every resolver class of the API; buildSchema takes this list. */
// eslint-disable-next-line @typescript-eslint/ban-types
export const RESOLVERS: NonEmptyArray<Function> = [EventResolver, EventFieldsResolver, NodeResolver];
