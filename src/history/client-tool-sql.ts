import { CLIENT_TOOL_RULES, ClientTool, ClientToolRule } from '../cloudtrail/client-tool';
import { Sql, sql, trusted } from './sql/sql';

/**
 * The client-tool rules of src/cloudtrail/client-tool.ts as SQL over the
 * userAgent column: the same ordered rules, first match wins, so the SQL
 * and the Event.clientTool field classify every agent alike (a test checks
 * both on every user agent of the corpus). Rule texts are checked plain
 * lower-case text where they are declared, so they are safe as literals.
 */
const AGENT = 'lower(useragent)';

function condition(r: ClientToolRule): string {
  switch (r.kind) {
    case 'contains':
      return `strpos(${AGENT}, '${r.text}') > 0`;
    case 'prefix':
      return `(starts_with(${AGENT}, '${r.text}') OR starts_with(${AGENT}, '[${r.text}'))`;
    case 'suffix':
      // Rule texts hold no %; an _ would be a LIKE wildcard, so suffix rules may not use one.
      if (r.text.includes('_')) throw new Error(`suffix rule text must not contain _: ${r.text}`);
      return `(${AGENT} LIKE '%${r.text}' AND strpos(${AGENT}, ' ') = 0)`;
  }
}

function caseOf(value: (r: ClientToolRule) => string | null, otherwise: string): string {
  const whens = CLIENT_TOOL_RULES.map((r) => {
    const v = value(r);
    return `WHEN ${condition(r)} THEN ${v === null ? 'NULL' : `'${v}'`}`;
  });
  return `(CASE\n  ${whens.join('\n  ')}\n  ELSE ${otherwise}\nEND)`;
}

/** The ClientTool enum name of each event (OTHER where no rule matches or there is no agent). */
export const CLIENT_TOOL: Sql = trusted(caseOf((r) => r.tool, `'${ClientTool.OTHER}'`));

/** The SDK's language for SDK calls; NULL otherwise. */
export const CLIENT_SDK_LANGUAGE: Sql = trusted(caseOf((r) => (r.tool === ClientTool.SDK ? r.language ?? null : null), 'NULL'));

/** Events whose client is any of `tools`. */
export function clientToolPredicate(tools: readonly ClientTool[]): Sql {
  return sql`${CLIENT_TOOL} IN ${tools}`;
}
