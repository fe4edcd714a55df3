// Worked examples of the string functions, from "Functions - AWS IoT Core"
// https://docs.aws.amazon.com/iot/latest/developerguide/iot-sql-functions.html (anchor per test name).
// Non-strings take their standard string form; Null and Undefined give Undefined.
import test from 'ava';
import { valueOf as v } from '../testing/topicRules.ts';

test('chr #iot-func-chr: chr(65) = "A", chr(49) = "1"; Decimals and strings round down; not ASCII is Undefined', (t) => {
  t.is(v('chr(65)'), 'A');
  t.is(v('chr(49)'), '1');
  t.is(v("chr('65.9')"), 'A');
  t.is(v('chr(300)'), undefined);
  t.is(v('chr(true)'), undefined);
});

test('endswith #iot-func-endswith: endswith("cat","at") = true; other values convert; Null is Undefined', (t) => {
  t.true(v('endswith("cat","at")'));
  t.true(v('endswith(123, 3)'));
  t.is(v('endswith(NULL, "a")'), undefined);
});

test('indexof #iot-sql-function-indexof: indexof("abcd", "bc") = 1', (t) => {
  t.is(v('indexof("abcd", "bc")'), 1);
  t.is(v('indexof("abcd", "x")'), -1);
});

test('length #iot-sql-function-length: length("hi") = 2, length(false) = 5', (t) => {
  t.is(v('length("hi")'), 2);
  t.is(v('length(false)'), 5);
});

test('lower #iot-func-lower: lower("HELLO") = "hello", lower(["HELLO"]) = "[\\"hello\\"]"', (t) => {
  t.is(v('lower("HELLO")'), 'hello');
  t.is(v('lower(["HELLO"])'), '["hello"]');
});

test('lpad #iot-func-lpad: lpad("hello", 2) = "  hello", lpad(1, 3) = "   1"; the count is kept within 0..1000', (t) => {
  t.is(v('lpad("hello", 2)'), '  hello');
  t.is(v('lpad(1, 3)'), '   1');
  t.is(v("lpad('a', '2.9')"), '  a');
  t.is(v('lpad("a", -5)'), 'a');
  t.is((v('lpad("a", 5000)') as string).length, 1001);
  t.is(v('lpad("a", "x")'), undefined);
  t.is(v('lpad(NULL, 1)'), undefined);
});

test('ltrim #iot-func-ltrim: Ltrim(" h i ") = "h i "', (t) => {
  t.is(v('Ltrim(" h i ")'), 'h i ');
  t.is(v("ltrim('\t x')"), 'x');
  t.is(v('ltrim(NULL)'), undefined);
});

test('numbytes #iot-sql-function-numbytes: numbytes("hi") = 2, numbytes("€") = 3', (t) => {
  t.is(v('numbytes("hi")'), 2);
  t.is(v('numbytes("€")'), 3);
});

test('regexp_matches #iot-func-regex-matches: ("aaaa", "a{2,}") = true, ("aaaa", "b") = false; an invalid regex is Undefined', (t) => {
  t.true(v('regexp_matches("aaaa", "a{2,}")'));
  t.false(v('regexp_matches("aaaa", "b")'));
  t.is(v('regexp_matches("aaaa", "(")'), undefined);
  t.true(v('regexp_matches(1234, 23)'));
});

test('regexp_replace #iot-func-regex-replace: ("abcd", "bc", "x") = "axd", ("abcd", "b(.*)d", "$1") = "ac"', (t) => {
  t.is(v('regexp_replace("abcd", "bc", "x")'), 'axd');
  t.is(v('regexp_replace("abcd", "b(.*)d", "$1")'), 'ac');
  t.is(v('regexp_replace("abab", "b", "x")'), 'axax');
});

test('regexp_substr #iot-func-regex-substr: ("hihihello", "hi") = "hi", ("hihihello", "(hi)*") = "hihi"', (t) => {
  t.is(v('regexp_substr("hihihello", "hi")'), 'hi');
  t.is(v('regexp_substr("hihihello", "(hi)*")'), 'hihi');
});

test('replace #iot-func-replace: ("abcd", "bc", "x") = "axd", ("abcdabcd", "b", "x") = "axcdaxcd"', (t) => {
  t.is(v('replace("abcd", "bc", "x")'), 'axd');
  t.is(v('replace("abcdabcd", "b", "x")'), 'axcdaxcd');
  t.is(v('replace(NULL, "b", "x")'), undefined);
});

test('rpad #iot-func-rpad: rpad("hello", 2) = "hello  ", rpad(1, 3) = "1   "', (t) => {
  t.is(v('rpad("hello", 2)'), 'hello  ');
  t.is(v('rpad(1, 3)'), '1   ');
});

test('rtrim #iot-func-rtrim: rtrim(" h i ") = " h i"', (t) => {
  t.is(v('rtrim(" h i ")'), ' h i');
});

test('startswith #iot-func-startswith: startswith("ranger","ran") = true', (t) => {
  t.true(v('startswith("ranger","ran")'));
  t.is(v('startswith(missing, "r")'), undefined);
});

test('substring #iot-func-substring: every example of the page', (t) => {
  t.is(v('substring("012345", 0)'), '012345');
  t.is(v('substring("012345", 2)'), '2345');
  t.is(v('substring("012345", 2.745)'), '2345');
  t.is(v('substring(123, 2)'), '3');
  t.is(v('substring("012345", -1)'), '012345');
  t.is(v('substring(true, 1.2)'), 'rue');
  t.is(v('substring(false, -2.411E247)'), 'false');
  t.is(v('substring("012345", 1, 3)'), '12');
  t.is(v('substring("012345", -50, 50)'), '012345');
  t.is(v('substring("012345", 3, 1)'), '');
  t.is(v('substring("012345", "x")'), undefined);
});

test('trim #iot-func-trim: Trim(" hi ") = "hi"', (t) => {
  t.is(v('Trim(" hi ")'), 'hi');
});

test('upper #iot-sql-function-upper: upper("hello") = "HELLO", upper(["hello"]) = "[\\"HELLO\\"]"', (t) => {
  t.is(v('upper("hello")'), 'HELLO');
  t.is(v('upper(["hello"])'), '["HELLO"]');
  t.is(v('upper(x)', { x: { a: 'b' } }), '{"A":"B"}');
});
