// RFC 4180 CSV records (read, and a field written), enough for exported machine histories: a UTF-8 byte-order mark, quoted fields
// with doubled quotes, commas and newlines inside quotes, CRLF or LF line ends. Each record keeps the
// line it starts on, so an error can point at the line a person opens in an editor.
import * as E from 'fp-ts/lib/Either.js';

export type CsvRecord = { readonly line: number; readonly fields: readonly string[] };

/** The records of a CSV text; blank lines are skipped. Fails on an unterminated quote or text after a closing quote. */
export const csvRecords = (text: string, source: string): E.Either<string, CsvRecord[]> => {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 0;
  let afterQuote = false;
  const endRecord = (): void => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    afterQuote = false;
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
        afterQuote = true;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === ',') {
      fields.push(field);
      field = '';
      afterQuote = false;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else if (c === '"' && field === '' && !afterQuote) {
      quoted = true;
      quoteLine = line;
    } else if (afterQuote) {
      return E.left(
        `${source} line ${line}: text ${JSON.stringify(c)} after a closing quote; expected a comma or the end of the line — double a quote inside a quoted field ("")`,
      );
    } else {
      field += c;
    }
  }
  if (quoted)
    return E.left(
      `${source} line ${quoteLine}: a quoted field is never closed; expected a closing " — check that line's quotes`,
    );
  if (field !== '' || fields.length > 0 || afterQuote) endRecord();
  return E.right(records);
};

/** A field as RFC 4180 writes it: one with a comma, quote or line break is quoted, its quotes doubled. */
export const csvField = (value: string | number | null): string => {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};
