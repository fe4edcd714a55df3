import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { csvRecords } from './csvRecords.ts';

test('a byte-order mark is dropped, CRLF and LF both end records, blank lines are skipped', (t) => {
  t.deepEqual(
    csvRecords('\uFEFFa,b\r\n1,2\n\n3,4', 'x.csv'),
    E.right([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 4, fields: ['3', '4'] },
    ]),
  );
});

test('quoted fields keep commas, doubled quotes and newlines, and the next record keeps its true line number', (t) => {
  t.deepEqual(
    csvRecords('name,note\n"L, low","say ""hi""\nthere"\nM,""\n', 'x.csv'),
    E.right([
      { line: 1, fields: ['name', 'note'] },
      { line: 2, fields: ['L, low', 'say "hi"\nthere'] },
      { line: 4, fields: ['M', ''] },
    ]),
  );
});

test('an unterminated quote is reported at the line where it opens', (t) => {
  const result = csvRecords('a,b\n1,2\n"3,4\n5,6\n', 'hist.csv');
  t.true(E.isLeft(result) && result.left.startsWith('hist.csv line 3: a quoted field is never closed'));
});

test('text after a closing quote is reported with its line', (t) => {
  const result = csvRecords('a,b\n"1"x,2\n', 'hist.csv');
  t.true(E.isLeft(result) && result.left.startsWith('hist.csv line 2: text "x" after a closing quote'));
});

test('an empty trailing field is kept', (t) => {
  t.deepEqual(csvRecords('a,b,\n', 'x.csv'), E.right([{ line: 1, fields: ['a', 'b', ''] }]));
});
