// DNS lookup that checks what it resolves. Installed as the `connect.lookup` of the undici Agent that
// fetches a URL, so the address that was checked is the address the socket connects to: a host that
// answers a public address to a first lookup and 127.0.0.1 to a second (DNS rebinding) gains nothing,
// and every redirect hop to a new host is checked the same way before any byte is sent.
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { classifyAddress, type AddressCategory } from './address-policy.js';

export interface Refusal {
  hostname: string;
  address: string;
  category: AddressCategory;
}

/** Resolves every address of a host name (node:dns `lookup` with `all: true`). */
export type ResolveAll = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const resolveWithDns: ResolveAll = (hostname, options, callback) => dnsLookup(hostname, options, callback);

/**
 * A lookup that refuses (with an error, recording why in `onRefused`) when any address the host
 * resolves to is forbidden — one bad address is enough, whichever the socket would have picked.
 */
export function createGuardedLookup(onRefused: (refusal: Refusal) => void, resolveAll: ResolveAll = resolveWithDns): LookupFunction {
  return (hostname, options, callback) => {
    resolveAll(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const forbidden = addresses
        .map((entry) => ({ address: entry.address, category: classifyAddress(entry.address) }))
        .find((entry) => entry.category !== null);
      if (forbidden) {
        onRefused({ hostname, address: forbidden.address, category: forbidden.category as AddressCategory });
        const refused: NodeJS.ErrnoException = new Error(`${hostname} resolves to ${forbidden.address}, a forbidden address`);
        refused.code = 'EATTACHFORMREFUSED';
        return callback(refused, '', 0);
      }
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
