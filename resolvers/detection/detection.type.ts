import { Field, Int, ObjectType } from 'type-graphql';
import { EventCriteria } from '../../src/history/event-filter';
import { DetectionQuery, DetectionSummaryRow } from '../../src/history/detections';
import { TimeWindow } from '../../src/history/window';
import { DateTimeScalar } from '../common/scalars';
import { DetectionRuleType } from './detection-rule.type';

@ObjectType({
  simpleResolvers: true,
  description: 'A rule that matched in the window (within the filter, the caller\'s accounts and permissions): how often, when, by whom.',
})
export class Detection {
  /** What its lists are asked with: the query that found it, and this rule's index in it. */
  query!: DetectionQuery;
  rulesKey!: string;
  ruleIndex!: number;
  criteria!: EventCriteria;
  window!: TimeWindow;

  @Field(() => DetectionRuleType) rule!: DetectionRuleType;
  @Field(() => Int, { description: 'Matched events.' }) count!: number;
  @Field(() => DateTimeScalar) firstSeen!: Date;
  @Field(() => DateTimeScalar) lastSeen!: Date;
  @Field(() => Int) principalCount!: number;
  @Field(() => Int) sessionCount!: number;

  static of(rule: DetectionRuleType, row: DetectionSummaryRow, parts: Pick<Detection, 'query' | 'rulesKey' | 'ruleIndex' | 'criteria' | 'window'>): Detection {
    const d = new Detection();
    Object.assign(d, parts, {
      rule, count: row.count, firstSeen: new Date(row.firstTime), lastSeen: new Date(row.lastTime), principalCount: row.principals, sessionCount: row.sessions,
    });
    return d;
  }
}
