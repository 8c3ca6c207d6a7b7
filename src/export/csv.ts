/**
 * RFC 4180 text: fields separated by commas, records ended by CRLF, a field
 * holding a comma, quote, CR or LF enclosed in quotes with its quotes doubled.
 * SQL NULL is an empty field; an empty text is an empty quoted field ("").
 */
export function csvField(value: string | null): string {
  if (value === null) return '';
  if (value === '' || /[",\r\n]/.test(value)) return `"${value.replace(/"/g, '""')}"`;
  return value;
}

export function csvRecord(fields: ReadonlyArray<string | null>): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}
