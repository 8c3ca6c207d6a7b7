import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Context } from '../../src/context';
import { refText } from '../../src/history/graph/session-ref';
import { Event } from '../event/event.type';
import { Principal } from '../principal/principal.type';
import { Session } from '../session/session.type';
import { DetectionRuleType } from './detection-rule.type';
import { detectionsOfEvent, detectionsOfParent } from './detection.service';
import { Detection } from './detection.type';

/** Event.detections: one statement for all the events of a request. */
@Resolver(() => Event)
export class EventDetectionsResolver {
  @FieldResolver(() => [DetectionRuleType], { description: 'The detection rules this event matches (those the caller may run on its account).' })
  detections(@Root() e: Event, @Ctx() ctx: Context): Promise<DetectionRuleType[]> {
    return detectionsOfEvent(ctx, e.stored);
  }
}

/** Principal.detections: one statement for all the principals of a request (per window). */
@Resolver(() => Principal)
export class PrincipalDetectionsResolver {
  @FieldResolver(() => [Detection], { description: "The rules that matched this principal's events in the window, most matches first." })
  detections(@Root() p: Principal, @Ctx() ctx: Context): Promise<Detection[]> {
    return detectionsOfParent(ctx, 'principal', p.arn, p.window);
  }
}

/** Session.detections: one statement for all the sessions of a request (per window). */
@Resolver(() => Session)
export class SessionDetectionsResolver {
  @FieldResolver(() => [Detection], { description: "The rules that matched this session's events, most matches first." })
  detections(@Root() s: Session, @Ctx() ctx: Context): Promise<Detection[]> {
    return detectionsOfParent(ctx, 'session', refText(s.ref), s.window);
  }
}
