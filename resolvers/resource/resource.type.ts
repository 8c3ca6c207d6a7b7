import { Field, ID, ObjectType } from 'type-graphql';
import { encodeId } from '../../src/history/ids';
import { ResourceSummary } from '../../src/history/graph/summaries';
import { TimeWindow } from '../../src/history/window';
import { Node } from '../common/node.interface';
import { PageInfo } from '../common/page-info.type';

/**
 * A resource as reached: its ARN, what the reaching row said of its type and
 * account, and the window of the query that reached it. Counts come from
 * its summary in that window (resource-fields.resolver.ts).
 */
@ObjectType({ simpleResolvers: true, implements: Node })
export class Resource implements Node {
  window!: TimeWindow;
  summary!: ResourceSummary | null;
  seedType!: string | null;
  seedAccountId!: string | null;

  @Field(() => ID) id!: string;
  @Field() arn!: string;

  static of(arn: string, window: TimeWindow, summary: ResourceSummary | null, seed: { type: string | null; accountId: string | null } | null = null): Resource {
    const r = new Resource();
    Object.assign(r, {
      id: encodeId('Resource', [arn]), arn, window, summary,
      seedType: summary?.type ?? seed?.type ?? null, seedAccountId: summary?.accountId ?? seed?.accountId ?? null,
    });
    return r;
  }
}

@ObjectType({ simpleResolvers: true })
export class ResourceEdge {
  @Field() cursor!: string;
  @Field(() => Resource) node!: Resource;
}

@ObjectType({ simpleResolvers: true })
export class ResourceConnection {
  @Field(() => [ResourceEdge]) edges!: ResourceEdge[];
  @Field(() => [Resource]) nodes!: Resource[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
