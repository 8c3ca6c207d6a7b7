/**
 * A small RFC 4180 reader, written here independently of src/export: records
 * end with CRLF, fields are separated by commas, a field in double quotes may
 * hold commas, CR, LF and doubled quotes. An unquoted empty field reads as
 * null (SQL NULL), a quoted empty one as the empty text.
 */
export function readCsv(text: string): (string | null)[][] {
  const records: (string | null)[][] = [];
  let record: (string | null)[] = [];
  let i = 0;
  while (i < text.length) {
    let value: string | null;
    if (text[i] === '"') {
      let j = i + 1;
      let v = '';
      for (;;) {
        if (j >= text.length) throw new Error(`unterminated quoted field at ${i}`);
        if (text[j] === '"') {
          if (text[j + 1] === '"') {
            v += '"';
            j += 2;
            continue;
          }
          j++;
          break;
        }
        v += text[j++];
      }
      value = v;
      i = j;
    } else {
      let j = i;
      while (j < text.length && text[j] !== ',' && text[j] !== '\r' && text[j] !== '\n') {
        if (text[j] === '"') throw new Error(`a quote inside an unquoted field at ${j}`);
        j++;
      }
      value = j === i ? null : text.slice(i, j);
      i = j;
    }
    record.push(value);
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text.startsWith('\r\n', i)) {
      records.push(record);
      record = [];
      i += 2;
      continue;
    }
    if (i >= text.length) break;
    throw new Error(`expected a comma or CRLF at ${i}`);
  }
  if (record.length) records.push(record);
  return records;
}
