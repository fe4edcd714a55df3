// The operator tables of https://docs.aws.amazon.com/iot/latest/developerguide/iot-sql-operators.html,
// row by row, through whole rules so that the parser's precedence is exercised too.
import test from 'ava';
import { applyBinary, applyNot } from './sqlOperators.ts';
import { Undefined } from './sqlValue.ts';
import { valueOf as value } from '../testing/topicRules.ts';

test('= : Int = Decimal compares numbers; String = String compares text; Null = Null is true', (t) => {
  t.true(value('1 = 1.0'));
  t.false(value("'a' = 'b'"));
  t.true(value('NULL = NULL'));
});

test("= : mismatched types are false, not converted ('5' = 5 is false)", (t) => {
  t.false(value("'5' = 5"));
  t.false(value('true = 1'));
  t.false(value('NULL = 0'));
});

test('= and <> : an Undefined operand gives Undefined, so the key is left out', (t) => {
  t.is(value('missing = 1'), undefined);
  t.is(value('missing <> 1'), undefined);
  t.is(applyBinary('=', Undefined, Undefined), Undefined);
});

test('<> and != : mismatched types are true; Null <> Null is false', (t) => {
  t.true(value("'5' <> 5"));
  t.true(value("'5' != 5"));
  t.false(value('NULL <> NULL'));
});

test('= : arrays equal item by item in order, objects by keys and values in any order', (t) => {
  t.true(value('a = b', { a: [1, 'x'], b: [1, 'x'] }));
  t.false(value('a = b', { a: [1, 'x'], b: ['x', 1] }));
  t.true(value('a = b', { a: { p: 1, q: [2] }, b: { q: [2], p: 1 } }));
  t.false(value('a = b', { a: { p: 1 }, b: { p: 1, q: 2 } }));
});

test('> >= < <= : numbers and Decimal-shaped strings compare as Decimals', (t) => {
  t.true(value("'10' > 9"));
  t.true(value("'5E-1' < 1"));
  t.true(value('2 >= 2.0'));
  t.false(value('3 <= 2'));
});

test('> : a string that is not a Decimal, a Boolean, Null or Undefined gives Undefined', (t) => {
  t.is(value("'abc' > 'abd'"), undefined);
  t.is(value('true > 0'), undefined);
  t.is(value('NULL < 1'), undefined);
  t.is(value('missing >= 1'), undefined);
});

test('AND / OR / NOT : Booleans and case-insensitive "true"/"false" strings', (t) => {
  t.false(value('true AND false'));
  t.true(value("'TRUE' AND true"));
  t.true(value("false OR 'True'"));
  t.false(value("NOT 'true'"));
});

test('AND / OR / NOT : any other operand (Undefined, numbers, other strings) gives Undefined', (t) => {
  t.is(value('true AND missing'), undefined);
  t.is(value('true OR missing'), undefined);
  t.is(value('NOT 1'), undefined);
  t.is(value("'yes' OR true"), undefined);
  t.is(applyNot(Undefined), Undefined);
});

test('+ : String with anything concatenates its string form; Int + Int is Int; others Undefined', (t) => {
  t.is(value("'a' + 1"), 'a1');
  t.is(value("1.5 + 'b'"), '1.5b');
  t.is(value("'x' + true"), 'xtrue');
  t.is(value('2 + 3'), 5);
  t.is(value('true + 1'), undefined);
  t.is(value("'x' + NULL"), undefined);
});

test('- * / % : Int with Int stays Int (7 / 2 is 3), Decimal-shaped strings convert, division by zero is Undefined', (t) => {
  t.is(value('7 / 2'), 3);
  t.is(value('-7 / 2'), -3);
  t.is(value('7.0 / 2.5'), 2.8);
  t.is(value("'10' - 4"), 6);
  t.is(value("'2' * '3.5'"), 7);
  t.is(value('7 % 3'), 1);
  t.is(value('1 / 0'), undefined);
  t.is(value("'x' * 2"), undefined);
});

test('precedence: * before +, comparison before AND, AND before OR, parentheses override', (t) => {
  t.is(value('1 + 2 * 3'), 7);
  t.is(value('(1 + 2) * 3'), 9);
  t.true(value('1 = 1 OR 1 = 2 AND 1 = 3'));
  t.false(value('(1 = 1 OR 1 = 2) AND 1 = 3'));
  t.is(value('-x', { x: 4 }), -4);
});
