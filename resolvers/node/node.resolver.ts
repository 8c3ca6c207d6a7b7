import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { Context } from '../../src/context';
import { NodeType, decodeId } from '../../src/history/ids';
import { Node } from '../common/node.interface';
import { eventById } from '../event/event.service';
import { principalById } from '../principal/principal.service';
import { resourceById } from '../resource/resource.service';
import { sessionById } from '../session/session.service';

/** How each kind of node is found by its id; each entity registers its finder here. */
export type NodeFinder = (ctx: Context, id: string) => Promise<Node | null>;
export const NODE_FINDERS: Partial<Record<NodeType, NodeFinder>> = {
  Event: eventById,
  Principal: principalById,
  Session: sessionById,
  Resource: resourceById,
};

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Node | null> {
    const { type } = decodeId(id);
    const find = NODE_FINDERS[type];
    return find ? find(ctx, id) : null;
  }
}
