// Hashing functions, encode and decode, from "Functions - AWS IoT Core"
// https://docs.aws.amazon.com/iot/latest/developerguide/iot-sql-functions.html (#iot-sql-function-hash,
// #iot-sql-decode-base64, #iot-sql-encode-payload), and "JSON extensions" (iot-sql-json.html). The digests
// are checked against node:crypto for every algorithm it still has, and MD2 against RFC 1319.
import { createHash } from 'node:crypto';
import { fc, testProp } from '@fast-check/ava';
import test from 'ava';
import { md2, md5, sha1, sha224, sha256, sha384, sha512 } from './functions/hashes.ts';
import { fromBase64, toBase64 } from './functions/encoding.ts';
import { run, valueOf as v } from '../testing/topicRules.ts';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

test('#iot-sql-function-hash: md2("hello") = "a9046c73e00331af68917d3804f70655", md5("hello") = "5d41402abc4b2a76b9719d911017c592"', (t) => {
  t.is(v('md2("hello")'), 'a9046c73e00331af68917d3804f70655');
  t.is(v('md5("hello")'), '5d41402abc4b2a76b9719d911017c592');
});

test('iot-sql-json "Applying a Function to an Attribute Value": md5(deviceid) of "iot123" is e37f81fb397e595c4aeb5645b8cbbbd1', (t) => {
  const payload = {
    deviceid: 'iot123',
    temp: 54.98,
    humidity: 32.43,
    coords: { latitude: 47.615694, longitude: -122.3359976 },
  };
  t.deepEqual(run("SELECT temp, md5(deviceid) AS hashed_id FROM 'topic/#'", payload, 'topic/x'), {
    temp: 54.98,
    hashed_id: 'e37f81fb397e595c4aeb5645b8cbbbd1',
  });
});

test('#iot-sql-function-hash: non-strings hash their standard string form; Null and Undefined are Undefined', (t) => {
  t.is(v('sha256(42)'), createHash('sha256').update('42').digest('hex'));
  t.is(v('sha1(x)', { x: [1, 'a'] }), createHash('sha1').update('[1,"a"]').digest('hex'));
  t.is(v('sha512(NULL)'), undefined);
  t.is(v('sha384(missing)'), undefined);
});

test('MD2 gives the RFC 1319 test suite digests', (t) => {
  t.is(md2(utf8('')), '8350e5a3e24c153df2275c9f80692773');
  t.is(md2(utf8('abc')), 'da853b0d3f88d99b30283a69e6ded6bb');
  t.is(md2(utf8('message digest')), 'ab4f496bfb2a530b219ff33031fe06b0');
  t.is(
    md2(utf8('12345678901234567890123456789012345678901234567890123456789012345678901234567890')),
    'd5976f79d83d3a0dc9806c3c66f3efd8',
  );
});

const DIGESTS = { md5, sha1, sha224, sha256, sha384, sha512 } as const;

testProp(
  'md5, sha1, sha224, sha256, sha384 and sha512 agree with node:crypto on any text, across block boundaries',
  [fc.string({ unit: 'binary', maxLength: 300 })],
  (t, text) => {
    for (const [name, digest] of Object.entries(DIGESTS))
      t.is(digest(utf8(text)), createHash(name).update(text, 'utf8').digest('hex'), name);
  },
  { numRuns: 150 },
);

testProp('base64 round-trips any bytes and agrees with Buffer', [fc.uint8Array({ maxLength: 100 })], (t, bytes) => {
  const encoded = toBase64(bytes);
  t.is(encoded, Buffer.from(bytes).toString('base64'));
  t.deepEqual(fromBase64(encoded), bytes);
});

test('#iot-sql-decode-base64: decode(encoded_temp,"base64").temperature AS temp gives { "temp": 33 }', (t) => {
  t.deepEqual(
    run(
      'SELECT decode(encoded_temp,"base64").temperature AS temp from \'topic/subtopic\'',
      { encoded_temp: 'eyAidGVtcGVyYXR1cmUiOiAzMyB9Cg==' },
      'topic/subtopic',
    ),
    { temp: 33 },
  );
});

test('#iot-sql-decode-base64: a decoded text that is not JSON comes back as a string; a value that is not base64 is Null', (t) => {
  t.is(v('decode("aGVsbG8gd29ybGQ=", "base64")'), 'hello world');
  t.is(v('decode("not base64!", "base64")'), null);
  t.is(v('decode("aGk=", "hex")'), undefined);
});

test('#iot-sql-encode-payload: encode(value, "base64") encodes the value\'s text; encode(*, "base64") the payload as published', (t) => {
  t.is(v('encode("hello", "base64")'), 'aGVsbG8=');
  t.is(v('encode(12, "base64")'), 'MTI=');
  t.is(v('encode(*, "base64")', { a: 1 }), Buffer.from('{"a":1}').toString('base64'));
  t.is(
    v('encode(*, "base64")', { a: 1 }, { payloadBytes: utf8('{ "a" : 1 }') }),
    Buffer.from('{ "a" : 1 }').toString('base64'),
  );
  t.is(v('encode(NULL, "base64")'), undefined);
});
