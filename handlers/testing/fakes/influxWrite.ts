// An InfluxDB v2 write endpoint (POST /api/v2/write?org=&bucket=&precision=ms, Authorization:
// Token …) that parses the line protocol it receives the way InfluxDB does — escapes, float, integer
// (`i`), string and boolean fields — and stores points by measurement, tag set and time, merging
// fields, so a rewrite is a no-op and a field changing type is a conflict. Test support only.
import { startFakeServer, type FakeResponse, type FakeServer } from './httpExchange.ts';

export type ParsedField = {
  readonly type: 'float' | 'integer' | 'string' | 'boolean';
  readonly value: number | string | boolean;
};
export type ParsedPoint = {
  readonly measurement: string;
  readonly tags: Record<string, string>;
  readonly fields: Record<string, ParsedField>;
  readonly timestamp: number;
};

export type FakeInflux = FakeServer & {
  readonly points: () => ParsedPoint[];
  readonly writes: () => number[];
  /** The next n writes answer with this status before doing anything. */
  readonly failNext: (n: number, status: number) => void;
};

/** Reads up to an unescaped stop character; a backslash escapes the next character. */
const readUntil = (line: string, from: number, stops: string): [string, number] => {
  let out = '';
  let i = from;
  while (i < line.length && !stops.includes(line[i]!)) {
    if (
      line[i] === '\\' &&
      i + 1 < line.length &&
      (stops.includes(line[i + 1]!) ||
        line[i + 1] === '\\' ||
        line[i + 1] === '=' ||
        line[i + 1] === ',' ||
        line[i + 1] === ' ')
    ) {
      out += line[i + 1];
      i += 2;
    } else out += line[i++];
  }
  return [out, i];
};

const parseFieldValue = (text: string): ParsedField => {
  if (/^-?\d+i$/.test(text)) return { type: 'integer', value: Number(text.slice(0, -1)) };
  if (/^(t|T|true|True|TRUE)$/.test(text)) return { type: 'boolean', value: true };
  if (/^(f|F|false|False|FALSE)$/.test(text)) return { type: 'boolean', value: false };
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return { type: 'float', value: Number(text) };
  throw new Error(`invalid field value ${JSON.stringify(text)}`);
};

export const parseLine = (line: string): ParsedPoint => {
  const [measurement, start] = readUntil(line, 0, ', ');
  let i = start;
  if (measurement === '') throw new Error('missing measurement');
  const tags: Record<string, string> = {};
  while (line[i] === ',') {
    const [key, afterKey] = readUntil(line, i + 1, '=');
    const [value, afterValue] = readUntil(line, afterKey + 1, ', ');
    if (key === '' || value === '') throw new Error(`empty tag key or value in ${JSON.stringify(line)}`);
    tags[key] = value;
    i = afterValue;
  }
  if (line[i] !== ' ') throw new Error('missing fields');
  const fields: Record<string, ParsedField> = {};
  do {
    const [key, afterKey] = readUntil(line, i + 1, '=');
    i = afterKey + 1;
    if (line[i] === '"') {
      let value = '';
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) {
          value += line[i + 1];
          i += 2;
        } else value += line[i++];
      }
      if (line[i] !== '"') throw new Error('unterminated string field');
      i++;
      fields[key] = { type: 'string', value };
    } else {
      const [text, after] = readUntil(line, i, ', ');
      fields[key] = parseFieldValue(text);
      i = after;
    }
  } while (line[i] === ',');
  const rest = line.slice(i).trim();
  if (!/^-?\d+$/.test(rest)) throw new Error(`timestamp ${JSON.stringify(rest)} is not an integer`);
  return { measurement, tags, fields, timestamp: Number(rest) };
};

const error = (status: number, code: string, message: string): FakeResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ code, message }),
});

export const startFakeInflux = async (options: {
  org: string;
  bucket: string;
  token: string;
  maxLines?: number;
}): Promise<FakeInflux> => {
  const stored = new Map<string, ParsedPoint>();
  const fieldTypes = new Map<string, ParsedField['type']>();
  const writes: number[] = [];
  let failures = { n: 0, status: 0 };
  const server = await startFakeServer((req) => {
    const url = new URL(req.path, 'http://fake');
    if (req.method !== 'POST' || url.pathname !== '/api/v2/write')
      return error(404, 'not found', `${req.method} ${url.pathname}`);
    if (req.headers.authorization !== `Token ${options.token}`)
      return error(401, 'unauthorized', 'unauthorized access');
    if (url.searchParams.get('org') !== options.org)
      return error(404, 'not found', `organization name "${url.searchParams.get('org')}" not found`);
    if (url.searchParams.get('bucket') !== options.bucket)
      return error(404, 'not found', `bucket "${url.searchParams.get('bucket')}" not found`);
    if (url.searchParams.get('precision') !== 'ms')
      return error(400, 'invalid', `precision ${url.searchParams.get('precision')}: this fake expects ms`);
    if (failures.n > 0) {
      failures = { ...failures, n: failures.n - 1 };
      return error(failures.status, failures.status === 429 ? 'too many requests' : 'unavailable', 'injected failure');
    }
    const lines = req.body.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    if (lines.length > (options.maxLines ?? 5000))
      return error(413, 'request too large', `${lines.length} lines in one write`);
    const parsed: ParsedPoint[] = [];
    for (const [n, line] of lines.entries()) {
      try {
        parsed.push(parseLine(line));
      } catch (e) {
        return error(400, 'invalid', `unable to parse '${line}' (line ${n + 1}): ${(e as Error).message}`);
      }
    }
    for (const p of parsed) {
      for (const [name, f] of Object.entries(p.fields)) {
        const key = `${p.measurement}|${name}`;
        const type = fieldTypes.get(key);
        if (type !== undefined && type !== f.type)
          return error(
            422,
            'unprocessable entity',
            `failure writing points to database: partial write: field type conflict: input field "${name}" on measurement "${p.measurement}" is type ${f.type}, already exists as type ${type}`,
          );
        fieldTypes.set(key, f.type);
      }
      const key = JSON.stringify([p.measurement, Object.entries(p.tags).sort(), p.timestamp]);
      const before = stored.get(key);
      stored.set(key, before === undefined ? p : { ...p, fields: { ...before.fields, ...p.fields } });
    }
    writes.push(lines.length);
    return { status: 204, body: '' };
  });
  return {
    ...server,
    points: () => [...stored.values()],
    writes: () => [...writes],
    failNext: (n, status) => {
      failures = { n, status };
    },
  };
};
