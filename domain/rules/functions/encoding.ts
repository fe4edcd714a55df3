// encode, decode and the hashing functions of https://docs.aws.amazon.com/iot/latest/developerguide/iot-sql-functions.html.
// A hash takes the argument's standard string form, hashes its UTF-8 bytes and gives lowercase hex.
import { RuleFailure } from '../evaluationContext.ts';
import { toSqlString, Undefined, type Json, type SqlValue } from '../sqlValue.ts';
import { md2, md5, sha1, sha224, sha256, sha384, sha512 } from './hashes.ts';
import { define, type SqlFunction } from './sqlFunction.ts';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export const toBase64 = (bytes: Uint8Array): string => {
  let out = '';
  for (let k = 0; k < bytes.length; k += 3) {
    const [a = 0, b = 0, c = 0] = [bytes[k], bytes[k + 1], bytes[k + 2]];
    const n = (a << 16) | (b << 8) | c;
    out +=
      BASE64[(n >> 18) & 63]! +
      BASE64[(n >> 12) & 63]! +
      (k + 1 < bytes.length ? BASE64[(n >> 6) & 63]! : '=') +
      (k + 2 < bytes.length ? BASE64[n & 63]! : '=');
  }
  return out;
};

/** The bytes of a base64 string, or undefined when it is not base64. */
export const fromBase64 = (text: string): Uint8Array | undefined => {
  const clean = text.replace(/[\r\n]/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) return undefined;
  const digits = clean.replace(/=+$/, '');
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const ch of digits) {
    buffer = (buffer << 6) | BASE64.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
};

// decode(value, 'base64'): "If the decoded string is a JSON document, an addressable object is returned.
// Otherwise, the decoded string is returned as a string. The function returns NULL if the string cannot be decoded."
const decode = ([value = Undefined, scheme = Undefined]: readonly SqlValue[]): SqlValue => {
  if (typeof scheme === 'string' && scheme.toLowerCase() === 'proto') {
    throw new RuleFailure("not available locally: decode(value, 'proto', …) reads its descriptor file from Amazon S3");
  }
  if (scheme !== 'base64') return Undefined;
  const text = toSqlString(value);
  if (text === Undefined) return Undefined;
  const bytes = fromBase64(text);
  if (bytes === undefined) return null;
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (_) {
    return null;
  }
  try {
    return JSON.parse(decoded) as Json;
  } catch (_) {
    return decoded;
  }
};

const encodeBytes = (bytes: Uint8Array, scheme: SqlValue): SqlValue =>
  scheme === 'base64' ? toBase64(bytes) : Undefined;

const hash = (name: string, digest: (bytes: Uint8Array) => string): SqlFunction =>
  define(
    'encoding and hash',
    `${name}(String)`,
    `${name.toUpperCase()} digest of the UTF-8 text, lowercase hex`,
    ([value = Undefined]) => {
      const text = toSqlString(value);
      return text === Undefined ? Undefined : digest(utf8(text));
    },
  );

export const ENCODING_FUNCTIONS: readonly SqlFunction[] = [
  define(
    'encoding and hash',
    'decode(value, decodingScheme)',
    "'base64': the decoded JSON document, or the decoded text when it is not JSON; Null when not base64",
    decode,
    // decode(*, 'proto', bucket, key, descriptorFile, messageType) takes six; it needs S3 (see decode).
    { minArgs: 2, maxArgs: 6 },
  ),
  define(
    'encoding and hash',
    'encode(value, encodingScheme)',
    "'base64': the value's text (or, for *, the payload's bytes) in base64",
    ([value = Undefined, scheme = Undefined]) => {
      const text = toSqlString(value);
      return text === Undefined ? Undefined : encodeBytes(utf8(text), scheme);
    },
    { applyToPayload: (bytes, [scheme = Undefined]) => encodeBytes(bytes, scheme) },
  ),
  hash('md2', md2),
  hash('md5', md5),
  hash('sha1', sha1),
  hash('sha224', sha224),
  hash('sha256', sha256),
  hash('sha384', sha384),
  hash('sha512', sha512),
];
