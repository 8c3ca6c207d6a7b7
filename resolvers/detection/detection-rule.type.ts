import { Field, ID, ObjectType } from 'type-graphql';
import { DetectionRule as Rule } from '../../src/detections/rule';

@ObjectType('DetectionRule', {
  simpleResolvers: true,
  description:
    'A Sigma detection rule: the built-in pack, or a --rules folder. A rule the\nengine cannot run whole is listed with supported false and the reason, and\nnever runs. Third-party rules carry their attribution (title, id, author).',
})
export class DetectionRuleType {
  @Field(() => ID) id!: string;
  @Field() title!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => String, { nullable: true, description: 'informational, low, medium, high or critical (as the rule says).' }) level!: string | null;
  @Field(() => String, { nullable: true }) status!: string | null;
  @Field(() => String, { nullable: true }) author!: string | null;
  @Field(() => [String]) tags!: string[];
  @Field(() => [String]) references!: string[];
  @Field(() => [String]) falsePositives!: string[];
  @Field({ description: '"built-in", or the --rules folder the rule came from.' }) source!: string;
  @Field({ description: 'The rule file, relative to its source.' }) file!: string;
  @Field() builtIn!: boolean;
  @Field() supported!: boolean;
  @Field(() => String, { nullable: true, description: 'Why the rule does not run (null when supported).' }) reason!: string | null;
  @Field(() => [String], { description: 'The Sigma fields the rule reads (empty when unsupported).' }) fields!: string[];
  @Field(() => String, { nullable: true, description: 'Credit for a third-party rule, to show with its matches; null for our own.' })
  attribution!: string | null;

  static of(r: Rule): DetectionRuleType {
    const t = new DetectionRuleType();
    const m = r.meta;
    Object.assign(t, {
      id: m.id, title: m.title, description: m.description, level: m.level, status: m.status, author: m.author, tags: m.tags,
      references: m.references, falsePositives: m.falsePositives, source: r.origin.source, file: r.origin.file, builtIn: r.origin.builtIn,
      supported: r.supported, reason: r.supported ? null : r.reason, fields: r.supported ? r.fields : [],
      attribution: r.origin.builtIn ? null : `Sigma rule "${m.title}" (id ${m.id}) by ${m.author ?? 'an unnamed author'}, from ${r.origin.source}`,
    });
    return t;
  }
}
