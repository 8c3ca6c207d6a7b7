import { Sql } from '../history/sql/sql';

/** What reading a field needs beyond ReadEvents (src/authz/actions.ts guards the same fields in the API). */
export type FieldGuard = 'payloads' | 'network';

/** Where a rule comes from: the pack we ship, or a folder given with --rules (third-party: attribution shown). */
export interface RuleOrigin {
  /** 'built-in', or the folder as given. */
  source: string;
  /** The file, relative to the folder. */
  file: string;
  builtIn: boolean;
}

/** What a Sigma rule says about itself (the attribution the DRL asks for: title, id, author). */
export interface RuleMeta {
  id: string;
  title: string;
  description: string | null;
  level: string | null;
  status: string | null;
  author: string | null;
  tags: string[];
  references: string[];
  falsePositives: string[];
}

/** A rule the engine runs: its predicate over one table row, every value bound. */
export interface CompiledRule {
  supported: true;
  meta: RuleMeta;
  origin: RuleOrigin;
  predicate: Sql;
  /** The Sigma field names it reads, and what reading them needs. */
  fields: string[];
  guards: FieldGuard[];
  /**
   * Lower-cased event names one of which every match has (null when the
   * rule does not pin them): the statement tests these first, cheaply, on
   * every row, and the rule's whole predicate only on the rows they let by.
   */
  eventNames: string[] | null;
}

/** A rule the engine does not run, and why; nothing of it is compiled. */
export interface UnsupportedRule {
  supported: false;
  meta: RuleMeta;
  origin: RuleOrigin;
  reason: string;
}

export type DetectionRule = CompiledRule | UnsupportedRule;

/** Why a rule cannot be compiled: becomes UnsupportedRule.reason. */
export class UnsupportedError extends Error {}

export function unsupported(reason: string): never {
  throw new UnsupportedError(reason);
}
