import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../graphiql/paths';
import { compileRule, ruleMeta } from './compile';
import { DetectionRule, RuleOrigin } from './rule';

/** The pack we write and ship: detections/ at the repository root (read in place by the compiled server too). */
export const BUILT_IN_DIR = join(REPO_ROOT, 'detections');

function ruleFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return ruleFiles(path);
      return /\.ya?ml$/i.test(name) ? [path] : [];
    });
}

/** One rule file: a rule per YAML document; a file that is not YAML is one unsupported rule. */
export function loadRuleFile(path: string, origin: RuleOrigin): DetectionRule[] {
  const fallbackId = origin.file;
  const docs = parseAllDocuments(readFileSync(path, 'utf8'));
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.length !== 1) {
    return [{ supported: false, meta: ruleMeta({}, fallbackId), origin, reason: 'rule collections (several YAML documents in one file) are not supported' }];
  }
  const [doc] = list;
  if (doc.errors.length) return [{ supported: false, meta: ruleMeta({}, fallbackId), origin, reason: `not valid YAML: ${doc.errors[0].code}` }];
  return [compileRule(doc.toJS(), origin, fallbackId)];
}

/** Every .yml/.yaml under `dir`, in path order. */
export function loadRuleDir(dir: string, builtIn = false): DetectionRule[] {
  return ruleFiles(dir).flatMap((path) => loadRuleFile(path, { source: builtIn ? 'built-in' : dir, file: relative(dir, path), builtIn }));
}
