import test from 'node:test';
import assert from 'node:assert/strict';
import { filenameOf } from '../src/api/download.js';

test('the Chinese file name of filename* is preferred', () => {
  const h = 'attachment; filename="incidents-20261206-0930.xlsx"; filename*=UTF-8\'\'%E8%AD%A6%E6%83%85-20261206-0930.xlsx';
  assert.equal(filenameOf(h), '警情-20261206-0930.xlsx');
});

test('the plain file name when there is no filename*', () => {
  assert.equal(filenameOf('attachment; filename="roster-20261206-0930.csv"'), 'roster-20261206-0930.csv');
});

test('a broken encoding falls back to the plain name, nothing to the fallback', () => {
  assert.equal(filenameOf('attachment; filename="a.csv"; filename*=UTF-8\'\'%E8%AD'), 'a.csv');
  assert.equal(filenameOf(null, 'export.xlsx'), 'export.xlsx');
  assert.equal(filenameOf('attachment', 'export.xlsx'), 'export.xlsx');
});
