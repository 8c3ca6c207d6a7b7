import { Field, ID, ObjectType } from 'type-graphql';
import { SessionRef } from '../../src/history/graph/session-ref';
import { SessionSummary } from '../../src/history/graph/summaries';
import { ALL_SESSION_PARTS, SessionParts } from '../../src/history/graph/summary-parts';
import { TimeWindow } from '../../src/history/window';
import { Node } from '../common/node.interface';
import { PageInfo } from '../common/page-info.type';
import { SessionKind } from './session-kind.enum';

/**
 * A session as reached: its reference and the window of the query that
 * reached it (its own window when found by id or from one of its events).
 * Everything else is its summary (session-fields.resolver.ts).
 */
@ObjectType({ simpleResolvers: true, implements: Node, description: 'One use of one set of credentials: the summary a compliance portal shows.' })
export class Session implements Node {
  ref!: SessionRef;
  window!: TimeWindow;
  /** Whether `window` is the session's own (then its summary is looked up by id). */
  ownWindow!: boolean;
  summary!: SessionSummary | null;
  /** The summary parts the request's selection of this session needs: what its summary computed, or what to load. */
  parts!: SessionParts;

  /** The id needs the start day: known from the ref, or (portal sessions) from the summary. */
  id!: string;

  @Field(() => SessionKind) kind!: SessionKind;

  /** `parts`: every part unless the reaching resolver knows the selection (session-selection.ts). */
  static of(ref: SessionRef, window: TimeWindow, ownWindow: boolean, summary: SessionSummary | null = null, parts: SessionParts = ALL_SESSION_PARTS): Session {
    const s = new Session();
    Object.assign(s, { ref, window, ownWindow, summary, parts, kind: ref.kind as SessionKind });
    return s;
  }
}

@ObjectType({ simpleResolvers: true })
export class SessionEdge {
  @Field() cursor!: string;
  @Field(() => Session) node!: Session;
}

@ObjectType({ simpleResolvers: true })
export class SessionConnection {
  @Field(() => [SessionEdge]) edges!: SessionEdge[];
  @Field(() => [Session]) nodes!: Session[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
