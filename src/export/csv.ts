/**
 * RFC 4180 text: fields separated by commas, records ended by CRLF, a field
 * holding a comma, quote, CR or LF enclosed in quotes with its quotes doubled.
 * SQL NULL is an empty field; an empty text is an empty quoted field ("").
 */
export function csvField(value: string | null): string {
  if (value === null) return '';
  // split/join: about ten times faster than a global replace on record-sized text (bench area export).
  if (value === '' || /[",\r\n]/.test(value)) return `"${value.split('"').join('""')}"`;
  return value;
}

export function csvRecord(fields: ReadonlyArray<string | null>): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}
