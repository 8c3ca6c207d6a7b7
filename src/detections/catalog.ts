import { BUILT_IN_DIR, loadRuleDir } from './load';
import { CompiledRule, DetectionRule } from './rule';

/**
 * Every rule the server knows: the built-in pack, then each --rules folder
 * in order. A rule whose id was already taken is kept out of the running
 * set and listed as unsupported, so that an id names one rule.
 */
export class RuleCatalog {
  readonly rules: readonly DetectionRule[];
  readonly compiled: readonly CompiledRule[];
  private readonly byId = new Map<string, CompiledRule>();

  constructor(rules: readonly DetectionRule[]) {
    const seen = new Set<string>();
    this.rules = rules.map((r) => {
      const dup = seen.has(r.meta.id);
      seen.add(r.meta.id);
      return dup ? { supported: false, meta: r.meta, origin: r.origin, reason: `duplicate id ${r.meta.id}: an earlier rule has it` } : r;
    });
    this.compiled = this.rules.filter((r): r is CompiledRule => r.supported);
    for (const r of this.compiled) this.byId.set(r.meta.id, r);
  }

  static load(dirs: readonly string[], builtIn = true): RuleCatalog {
    return new RuleCatalog([...(builtIn ? loadRuleDir(BUILT_IN_DIR, true) : []), ...dirs.flatMap((d) => loadRuleDir(d))]);
  }

  get(id: string): CompiledRule | undefined {
    return this.byId.get(id);
  }
}

let builtIn: RuleCatalog | null = null;

/** The built-in pack alone, loaded once (contexts made without a catalog, such as tests of other parts). */
export function builtInCatalog(): RuleCatalog {
  builtIn ??= RuleCatalog.load([]);
  return builtIn;
}
