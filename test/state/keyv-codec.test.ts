// keyv's serialisation as the state stores it: what is written reads back the same, whichever way
// deserialize parses it (plain JSON.parse when no string can start with ':', keyv's reviver otherwise).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Keyv from 'keyv';
import { keyvCodec } from '../../src/state/keyv-codec.js';
import { makeRecord } from './make-record.js';

const keyv = new Keyv();

const values: unknown[] = [
  makeRecord(),
  { lineage: 'b3c1', serial: 12 },
  { name: ':colon-first', list: [':a', '::b', 'c:'], nested: { deep: ':' }, plain: 'x' },
  [':only', 'in', 'an', 'array'],
  ':a string alone',
  { text: 'a "quoted", tricky:":value' },
];

test('every value reads back exactly as it was written, the same as keyv itself reads it', async () => {
  for (const value of values) {
    const text = await keyvCodec.serialize(value);
    assert.deepEqual(await keyvCodec.deserialize(text), value, text);
    assert.deepEqual(await keyvCodec.deserialize(text), ((await keyv.deserialize!(text)) as { value: unknown }).value, text);
  }
});

test('text that is not keyv JSON is refused', async () => {
  await assert.rejects(keyvCodec.deserialize('{"value": '), SyntaxError);
  await assert.rejects(keyvCodec.deserialize('[1,2]'), SyntaxError);
});
