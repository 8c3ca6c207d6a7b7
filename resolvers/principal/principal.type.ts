import { Field, ID, Int, ObjectType } from 'type-graphql';
import { encodeId } from '../../src/history/ids';
import { PrincipalSummary } from '../../src/history/graph/summaries';
import { ALL_PRINCIPAL_PARTS, PrincipalParts } from '../../src/history/graph/summary-parts';
import { TimeWindow } from '../../src/history/window';
import { Node } from '../common/node.interface';
import { PageInfo } from '../common/page-info.type';

@ObjectType({ simpleResolvers: true })
export class NameCount {
  @Field() name!: string;
  @Field(() => Int) count!: number;
}

/**
 * A principal as reached: its ARN and the window of the query that reached
 * it. The summary fields come from the statement that found it, or from the
 * summary loader when asked (principal-fields.resolver.ts).
 */
@ObjectType({
  simpleResolvers: true,
  implements: Node,
  description:
    'An IAM user, an IAM role (all its sessions), the root user, an AWS\nservice, an IAM Identity Center user, a federated user. Counts and\nfirst/last seen are within the time window of the query that reached it.',
})
export class Principal implements Node {
  window!: TimeWindow;
  summary!: PrincipalSummary | null;
  /** CloudTrail's type as the reaching row had it, for a principal with no summary in the window. */
  typeHint!: string | null;
  /** The summary parts the request's selection of this principal needs: what its summary computed, or what to load. */
  parts!: PrincipalParts;

  @Field(() => ID) id!: string;
  @Field({
    description:
      "Canonical ARN: for assumed-role calls the role's IAM ARN\n(arn:aws:iam::ACCOUNT:role/NAME), not the sts session ARN; for AWS\nservices the service principal (e.g. ec2.amazonaws.com).",
  })
  arn!: string;

  /** `parts`: every part unless the reaching resolver knows the selection (principal-selection.ts). */
  static of(
    arn: string, window: TimeWindow, summary: PrincipalSummary | null = null, typeHint: string | null = null, parts: PrincipalParts = ALL_PRINCIPAL_PARTS,
  ): Principal {
    const p = new Principal();
    Object.assign(p, { id: encodeId('Principal', [arn]), arn, window, summary, typeHint, parts });
    return p;
  }
}

@ObjectType({ simpleResolvers: true })
export class PrincipalEdge {
  @Field() cursor!: string;
  @Field(() => Principal) node!: Principal;
}

@ObjectType({ simpleResolvers: true })
export class PrincipalConnection {
  @Field(() => [PrincipalEdge]) edges!: PrincipalEdge[];
  @Field(() => [Principal]) nodes!: Principal[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
