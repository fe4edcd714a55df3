// Malformed SQL fails at load with the token, its line and column; it never loads half-understood.
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { compileRule } from './topicRule.ts';

const errorOf = (sql: string): string => {
  const rule = compileRule(sql);
  return E.isLeft(rule) ? rule.left : 'compiled';
};

test('a misspelt keyword names the token, its line and its column', (t) => {
  t.regex(errorOf("SELECT * FRM 'a'"), /unexpected 'FRM' at line 1, column 10: expected ',' or FROM/);
  t.regex(
    errorOf("SELECT *\nFROM 'a'\nWHER x > 1"),
    /unexpected 'WHER' at line 3, column 1: expected WHERE or the end of the statement/,
  );
  t.regex(
    errorOf("SELECT a,\n  b AS c,\n  upper(d AS e FROM 'a'"),
    /unexpected 'AS' at line 3, column 11: expected ',' or '\)'/,
  );
});

test('an unknown function is named with its position and where the list is', (t) => {
  t.regex(
    errorOf("SELECT uper(color) AS c FROM 'a'"),
    /unknown function 'uper' at line 1, column 8: `factory rules functions` lists/,
  );
});

test('a wrong number of arguments is an error at load', (t) => {
  t.regex(errorOf("SELECT topic(1, 2) AS c FROM 'a'"), /'topic' at line 1, column 8 takes 0 to 1 argument\(s\), got 2/);
  t.regex(errorOf("SELECT power(2) AS c FROM 'a'"), /takes 2 argument\(s\), got 1/);
  t.regex(errorOf("SELECT substring('abc') AS c FROM 'a'"), /takes 2 to 3 argument\(s\), got 1/);
});

test('SQL that is not AWS IoT SQL (IN, LIKE, IS, BETWEEN) is named, with what to write instead', (t) => {
  t.regex(
    errorOf("SELECT * FROM 'a' WHERE x IN (1, 2)"),
    /unexpected 'IN' at line 1, column 27.*IN is not part of AWS IoT SQL: compare with = and OR/,
  );
  t.regex(errorOf("SELECT * FROM 'a' WHERE x LIKE 'a%'"), /LIKE is not part of AWS IoT SQL: use regexp_matches/);
  t.regex(errorOf("SELECT * FROM 'a' WHERE x IS NULL"), /use isNull\(value\) or isUndefined\(value\)/);
  t.regex(errorOf("SELECT * FROM 'a' WHERE x BETWEEN 1 AND 2"), /use >= AND <=/);
});

test('CASE needs its value, a WHEN and an END; cast needs a known type', (t) => {
  t.regex(
    errorOf("SELECT CASE WHEN x > 1 THEN 2 END AS c FROM 'a'"),
    /unexpected 'WHEN' at line 1, column 13: expected the value to match after CASE/,
  );
  t.regex(errorOf("SELECT CASE x ELSE 1 END AS c FROM 'a'"), /expected WHEN \(CASE needs at least one WHEN clause\)/);
  t.regex(
    errorOf("SELECT CASE x WHEN 1 THEN 2 AS c FROM 'a'"),
    /unexpected 'AS' at line 1, column 29: expected WHEN, ELSE or END/,
  );
  t.regex(
    errorOf("SELECT cast(x AS Float) AS c FROM 'a'"),
    /unexpected 'Float' at line 1, column 18: expected a cast type: STRING, NVARCHAR/,
  );
});

test('an expression without AS is rejected rather than given a guessed key; a field keeps its last name', (t) => {
  t.regex(errorOf("SELECT timestamp() FROM 'a'"), /starting at line 1, column 8 needs a name: add AS <name>/);
  t.regex(errorOf("SELECT a + 1 FROM 'a'"), /needs a name/);
  t.is(errorOf("SELECT color.red FROM 'a'"), 'compiled');
});

test('a topic filter with a misplaced wildcard, or an unquoted one, fails', (t) => {
  t.regex(errorOf("SELECT * FROM 'a/#/b'"), /'#' must be a whole level and the last one \(line 1, column 15\)/);
  t.regex(errorOf("SELECT * FROM 'a/b+'"), /'\+' must be a whole level/);
  // The JSON extensions page's own counter-example: an unquoted topic.
  t.regex(
    errorOf('SELECT * from iot/rules WHERE x = 1'),
    /unexpected 'iot' at line 1, column 15: expected a quoted topic filter/,
  );
});

test('a key that is not a name (item2.0, my-key) fails with a pointer to get()', (t) => {
  t.regex(
    errorOf("SELECT * FROM 'a' WHERE mydata.item2.0.x = 1"),
    /unexpected '0' at line 1, column 38: expected a field name after '\.' \(use get\(value, "key"\)/,
  );
});

test('trailing tokens, chained comparisons, comments and unterminated strings fail', (t) => {
  t.regex(
    errorOf("SELECT * FROM 'a' WHERE x > 1 y"),
    /unexpected 'y' at line 1, column 31: expected the end of the statement/,
  );
  t.regex(errorOf("SELECT * FROM 'a' WHERE 1 < x < 3"), /comparisons do not chain/);
  t.regex(errorOf("SELECT * FROM 'a' -- all"), /unexpected '-' at line 1, column 19/);
  t.regex(errorOf("SELECT * FROM 'a"), /unterminated string starting at line 1, column 15/);
  t.regex(errorOf("SELECT * FROM 'a' WHERE"), /unexpected the end of the statement at line 1, column 24/);
  t.regex(errorOf("SELECT a;b FROM 'a'"), /unexpected character ';' at line 1, column 9/);
});

test('keywords are case-insensitive and either quote makes a string, but an alias is a bare name', (t) => {
  t.regex(errorOf(`select x as "y" from 'a'`), /expected a name after AS/);
  t.true(E.isRight(compileRule(`select x as y from "a/+" where x = "b" and not y <> 'c'`)));
});

test('function names match in any case (the reference writes Round, Ltrim, Nanvl)', (t) => {
  t.true(E.isRight(compileRule("SELECT Round(x) AS r, LTRIM(y) AS l, Nanvl(z, 1) AS n FROM 'a'")));
});
