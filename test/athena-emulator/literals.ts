/**
 * Reads back the SQL literal text of an Athena execution parameter into the
 * value it stands for, so the emulator can bind it to DuckDB as a parameter
 * (never splicing it into the statement). Accepts what Athena's literal
 * grammar accepts for the kinds the engine sends; anything else is refused
 * like Athena refuses a parameter that is not a literal.
 */
export type LiteralValue = string | number | boolean;

export function parseLiteral(text: string): LiteralValue {
  if (/^'(?:[^']|'')*'$/s.test(text)) return text.slice(1, -1).replace(/''/g, "'");
  if (/^-?\d+$/.test(text)) return Number(text);
  if (/^-?\d+(?:\.\d*)?E[+-]?\d+$/i.test(text) || /^-?\d+\.\d+$/.test(text)) return Number(text);
  if (/^true$/i.test(text)) return true;
  if (/^false$/i.test(text)) return false;
  throw new Error(`not a literal: ${text.length > 40 ? `${text.slice(0, 40)}...` : text}`);
}
