import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { createGuardedLookup, type Refusal, type ResolveAll } from '../../src/sources/guarded-lookup.js';

function lookupOnce(all: boolean, hostname: string, resolveAll?: ResolveAll) {
  const refusals: Refusal[] = [];
  const lookup = createGuardedLookup((refusal) => refusals.push(refusal), resolveAll);
  return new Promise<{ error: NodeJS.ErrnoException | null; address: string | LookupAddress[]; refusals: Refusal[] }>((resolve) => {
    lookup(hostname, { all }, (error, address) => resolve({ error, address, refusals }));
  });
}

for (const all of [true, false]) {
  test(`the guarded lookup refuses localhost (all: ${all}) and records why`, async () => {
    const { error, refusals } = await lookupOnce(all, 'localhost');
    assert.equal(error?.code, 'EATTACHFORMREFUSED');
    assert.equal(refusals.length, 1);
    assert.equal(refusals[0].hostname, 'localhost');
    assert.equal(refusals[0].category, 'loopback');
    assert.match(refusals[0].address, /^(127\.|::1$)/);
  });
}

/** A resolver answering fixed addresses (no DNS traffic from tests). */
function answering(addresses: LookupAddress[]): ResolveAll {
  return (_hostname, _options, callback) => callback(null, addresses);
}

test('a public answer passes through: all the addresses with all: true, the first one otherwise', async () => {
  const addresses = [
    { address: '93.184.216.34', family: 4 },
    { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
  ];
  const many = await lookupOnce(true, 'cdn.example.com', answering(addresses));
  assert.equal(many.error, null);
  assert.deepEqual(many.address, addresses);
  const one = await lookupOnce(false, 'cdn.example.com', answering(addresses));
  assert.equal(one.error, null);
  assert.equal(one.address, '93.184.216.34');
  assert.deepEqual([...many.refusals, ...one.refusals], []);
});

test('one forbidden address among public ones is enough to refuse (DNS rebinding, split answers)', async () => {
  const { error, refusals } = await lookupOnce(
    false,
    'rebind.example.com',
    answering([
      { address: '93.184.216.34', family: 4 },
      { address: '169.254.169.254', family: 4 },
    ]),
  );
  assert.equal(error?.code, 'EATTACHFORMREFUSED');
  assert.deepEqual(refusals, [{ hostname: 'rebind.example.com', address: '169.254.169.254', category: 'link-local' }]);
});

test('a resolution error passes through, refusing nothing', async () => {
  const failing: ResolveAll = (hostname, _options, callback) => {
    const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
    error.code = 'ENOTFOUND';
    callback(error, []);
  };
  const { error, refusals } = await lookupOnce(true, 'nowhere.example.com', failing);
  assert.equal(error?.code, 'ENOTFOUND');
  assert.deepEqual(refusals, []);
});
