// Which IP addresses attachform may fetch from. A manifest arrives in a pull request from people we
// don't know, and plan runs on a CI runner: a URL pointing at the runner itself, its network or its
// cloud metadata service (169.254.169.254) must not be fetched unless the asset says
// `allow_private_urls: true`. Addresses are parsed to bytes here, so every spelling of one address
// (IPv4-mapped IPv6, zero-compressed forms, zone ids) meets the same rules.
import { isIP } from 'node:net';

/** Why an address is refused, as the error message words it: "a private address". */
export type AddressCategory =
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unspecified'
  | 'shared (CGNAT)'
  | 'multicast'
  | 'reserved'
  | 'broadcast';

/** null when the address is public (may be fetched); else the category that forbids it. */
export function classifyAddress(address: string): AddressCategory | null {
  const bytes = parseAddress(address);
  if (!bytes) return 'reserved'; // not an IP at all: refuse rather than guess
  return bytes.length === 4 ? classifyIpv4(bytes) : classifyIpv6(bytes);
}

export function isForbiddenAddress(address: string): boolean {
  return classifyAddress(address) !== null;
}

/** `a loopback address`, `an unspecified address`: for messages. */
export function describeCategory(category: AddressCategory): string {
  const article = /^[aeiou]/.test(category) ? 'an' : 'a';
  return `${article} ${category} address`;
}

function classifyIpv4(b: number[]): AddressCategory | null {
  const [a, c] = [b[0], b[1]];
  if (a === 0) return b.every((x) => x === 0) ? 'unspecified' : 'reserved'; // 0.0.0.0/8 "this network"
  if (a === 127) return 'loopback';
  if (a === 10) return 'private';
  if (a === 172 && c >= 16 && c <= 31) return 'private';
  if (a === 192 && c === 168) return 'private';
  if (a === 169 && c === 254) return 'link-local';
  if (a === 100 && c >= 64 && c <= 127) return 'shared (CGNAT)';
  if (a === 192 && c === 0 && b[2] === 0) return 'reserved'; // 192.0.0.0/24 IETF protocol assignments
  if (a === 198 && (c === 18 || c === 19)) return 'reserved'; // benchmarking
  if (a >= 224 && a <= 239) return 'multicast';
  if (b.every((x) => x === 255)) return 'broadcast';
  if (a >= 240) return 'reserved';
  return null;
}

function classifyIpv6(b: number[]): AddressCategory | null {
  const firstTen = b.slice(0, 10).every((x) => x === 0);
  if (firstTen && b[10] === 0xff && b[11] === 0xff) return classifyIpv4(b.slice(12)); // ::ffff:a.b.c.d mapped
  if (firstTen && b[10] === 0 && b[11] === 0) {
    // ::, ::1, and the deprecated IPv4-compatible ::a.b.c.d
    if (b.slice(12).every((x) => x === 0)) return 'unspecified';
    if (b.slice(12, 15).every((x) => x === 0) && b[15] === 1) return 'loopback';
    return classifyIpv4(b.slice(12)) ?? 'reserved';
  }
  // 64:ff9b::/96 (NAT64) and 2002::/16 (6to4) carry an IPv4 address that the gateway reaches.
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && b.slice(4, 12).every((x) => x === 0)) {
    return classifyIpv4(b.slice(12));
  }
  if (b[0] === 0x20 && b[1] === 0x02) return classifyIpv4(b.slice(2, 6));
  if ((b[0] & 0xfe) === 0xfc) return 'private'; // fc00::/7 unique local
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0x80) return 'link-local'; // fe80::/10
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0xc0) return 'private'; // fec0::/10 site-local (deprecated)
  if (b[0] === 0xff) return 'multicast';
  return null;
}

/** Bytes of an IPv4 (4) or IPv6 (16) address, or null. Accepts `[::1]` and zone ids (`fe80::1%eth0`). */
export function parseAddress(input: string): number[] | null {
  let address = input.startsWith('[') && input.endsWith(']') ? input.slice(1, -1) : input;
  const zone = address.indexOf('%');
  if (zone >= 0) address = address.slice(0, zone);
  const family = isIP(address);
  if (family === 4) return address.split('.').map(Number);
  if (family === 6) return parseIpv6(address);
  return null;
}

function parseIpv6(address: string): number[] {
  let tail: number[] = [];
  let text = address;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tail = text.slice(lastColon + 1).split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}0:0`; // stand-in groups, replaced below
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, undefined];
  const groups = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const before = groups(head);
  const after = groups(rest);
  const middle = rest === undefined ? [] : new Array(8 - before.length - after.length).fill(0);
  const words = [...before, ...middle, ...after];
  const bytes = words.flatMap((w) => [w >> 8, w & 0xff]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}
