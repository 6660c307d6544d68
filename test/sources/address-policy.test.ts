import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyAddress, describeCategory, parseAddress } from '../../src/sources/address-policy.js';

const forbidden: Array<[string, string]> = [
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['::1', 'loopback'],
  ['[::1]', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback'],
  ['10.0.0.5', 'private'],
  ['10.255.255.255', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['fc00::1', 'private'],
  ['fd12:3456:789a::1', 'private'],
  ['fec0::1', 'private'],
  ['169.254.169.254', 'link-local'],
  ['169.254.0.1', 'link-local'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local'],
  ['febf::1', 'link-local'],
  ['0.0.0.0', 'unspecified'],
  ['::', 'unspecified'],
  ['0.1.2.3', 'reserved'],
  ['100.64.0.1', 'shared (CGNAT)'],
  ['100.127.255.255', 'shared (CGNAT)'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['ff02::1', 'multicast'],
  ['255.255.255.255', 'broadcast'],
  ['240.0.0.1', 'reserved'],
  ['198.18.0.1', 'reserved'],
  ['192.0.0.8', 'reserved'],
  // IPv4-mapped, -compatible, NAT64 and 6to4 forms carry the IPv4 rules.
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['::ffff:10.0.0.5', 'private'],
  ['::ffff:169.254.169.254', 'link-local'],
  ['::ffff:a9fe:a9fe', 'link-local'],
  ['::ffff:0.0.0.0', 'unspecified'],
  ['0:0:0:0:0:ffff:c0a8:0101', 'private'],
  ['::127.0.0.1', 'loopback'],
  ['64:ff9b::10.0.0.1', 'private'],
  ['64:ff9b::a9fe:a9fe', 'link-local'],
  ['2002:7f00:1::', 'loopback'],
  ['2002:c0a8:101::1', 'private'],
  ['not-an-address', 'reserved'],
];

const allowed = [
  '8.8.8.8',
  '1.1.1.1',
  '93.184.216.34',
  '172.15.255.255',
  '172.32.0.1',
  '192.169.0.1',
  '100.63.255.255',
  '100.128.0.1',
  '169.253.255.255',
  '223.255.255.255',
  '11.0.0.1',
  '2606:4700:4700::1111',
  '2001:4860:4860::8888',
  '::ffff:8.8.8.8',
  '64:ff9b::8.8.8.8',
  '2002:0808:0808::1',
  'fbff::1',
  'fe7f::1',
];

for (const [address, category] of forbidden) {
  test(`${address} is refused as ${category}`, () => {
    assert.equal(classifyAddress(address), category);
  });
}

for (const address of allowed) {
  test(`${address} is public`, () => {
    assert.equal(classifyAddress(address), null);
  });
}

test('parseAddress expands every IPv6 spelling to the same 16 bytes', () => {
  const expected = parseAddress('0:0:0:0:0:ffff:7f00:1');
  assert.equal(expected?.length, 16);
  assert.deepEqual(parseAddress('::ffff:127.0.0.1'), expected);
  assert.deepEqual(parseAddress('[::ffff:7f00:1]'), expected);
  assert.deepEqual(parseAddress('1.2.3.4'), [1, 2, 3, 4]);
  assert.equal(parseAddress('example.com'), null);
});

test('describeCategory words the category for messages', () => {
  assert.equal(describeCategory('private'), 'a private address');
  assert.equal(describeCategory('unspecified'), 'an unspecified address');
  assert.equal(describeCategory('link-local'), 'a link-local address');
});
