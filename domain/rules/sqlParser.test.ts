// Unsupported or malformed SQL fails at load with the token and its column; it never loads half-understood.
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { compileRule } from './topicRule.ts';

const errorOf = (sql: string): string => {
  const rule = compileRule(sql);
  return E.isLeft(rule) ? rule.left : 'compiled';
};

test('a misspelt keyword names the token and its column', (t) => {
  t.regex(errorOf("SELECT * FRM 'a'"), /unexpected 'FRM' at column 10: expected ',' or FROM/);
});

test('an unknown function is named with the list of supported ones', (t) => {
  t.regex(errorOf("SELECT upper(color) AS c FROM 'a'"), /unknown function 'upper' at column 8: .*supports topic, timestamp/);
});

test('a wrong number of arguments is an error at load', (t) => {
  t.regex(errorOf("SELECT topic(1, 2) AS c FROM 'a'"), /'topic' at column 8 takes 0 to 1 argument\(s\), got 2/);
  t.regex(errorOf("SELECT power(2) AS c FROM 'a'"), /takes 2 argument\(s\), got 1/);
});

test('IoT SQL outside the subset (CASE, IN, SELECT VALUE, [index]) fails and says so', (t) => {
  t.regex(errorOf("SELECT CASE x WHEN 1 THEN 2 END AS c FROM 'a'"), /CASE is IoT SQL the local interpreter does not support/);
  t.regex(errorOf("SELECT * FROM 'a' WHERE x IN (1, 2)"), /unexpected 'IN' at column 27.*not support/);
  t.regex(errorOf("SELECT VALUE color FROM 'a'"), /SELECT VALUE at column 8 is not supported/);
  t.regex(errorOf("SELECT a[0] AS c FROM 'a'"), /unexpected character '\[' at column 9/);
});

test('an expression without AS is rejected rather than given a guessed key', (t) => {
  t.regex(errorOf("SELECT timestamp() FROM 'a'"), /column 8 needs a name: add AS <name>/);
  t.regex(errorOf("SELECT color.red FROM 'a'"), /needs a name/);
});

test('a topic filter with a misplaced wildcard, or an unquoted one, fails', (t) => {
  t.regex(errorOf("SELECT * FROM 'a/#/b'"), /'#' must be a whole level and the last one/);
  t.regex(errorOf("SELECT * FROM 'a/b+'"), /'\+' must be a whole level/);
  t.regex(errorOf('SELECT * FROM a/b'), /expected a quoted topic filter/);
});

test('trailing tokens, chained comparisons and unterminated strings fail', (t) => {
  t.regex(errorOf("SELECT * FROM 'a' WHERE x > 1 y"), /unexpected 'y' at column 31: expected the end of the statement/);
  t.regex(errorOf("SELECT * FROM 'a' WHERE 1 < x < 3"), /comparisons do not chain/);
  t.regex(errorOf("SELECT * FROM 'a"), /unterminated string starting at column 15/);
  t.regex(errorOf("SELECT * FROM 'a' WHERE"), /unexpected the end of the statement at column 24/);
});

test('keywords are case-insensitive and either quote makes a string, but an alias is a bare name', (t) => {
  t.regex(errorOf(`select x as "y" from 'a'`), /expected a name after AS/);
  t.true(E.isRight(compileRule(`select x as y from "a/+" where x = "b" and not y <> 'c'`)));
});
