import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactUrl } from '../../src/sources/source-error.js';

test('redactUrl hides an access_token query parameter, whatever its case', () => {
  const out = redactUrl('https://cdn.example.com/a.png?x=1&access_token=EAAsecret123&ACCESS_TOKEN=EAAother');
  assert.ok(!out.includes('EAAsecret123'));
  assert.ok(!out.includes('EAAother'));
  assert.match(out, /access_token=REDACTED/);
  assert.match(out, /x=1/);
});

test('redactUrl hides a password in the user-info part', () => {
  const out = redactUrl('https://user:hunter2@cdn.example.com/a.png');
  assert.ok(!out.includes('hunter2'));
  assert.match(out, /user:REDACTED@/);
});

test('redactUrl leaves a URL with nothing secret exactly as written', () => {
  for (const url of ['https://cdn.example.com/a b.png?x=1', 'http://EXAMPLE.com']) assert.equal(redactUrl(url), url);
});

test('redactUrl redacts even a string that is not a valid URL', () => {
  const out = redactUrl('not a url ?access_token=EAAsecret&y=2');
  assert.ok(!out.includes('EAAsecret'));
  assert.match(out, /y=2/);
});
