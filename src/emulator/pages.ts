// The pages the emulator knows and the token of each. A token identifies its page (as a page access
// token does on Graph); tokens are kept only here and never logged, listed or echoed.

export interface PageRegistry {
  add(id: string, token: string): void;
  pageForToken(token: string): string | undefined;
  has(id: string): boolean;
  ids(): string[];
}

export function createPageRegistry(): PageRegistry {
  const byToken = new Map<string, string>();
  return {
    add(id, token) {
      const problem = checkPage(id, token);
      if (problem) throw new Error(problem);
      for (const [known, page] of byToken) if (page === id) byToken.delete(known);
      byToken.set(token, id);
    },
    pageForToken: (token) => byToken.get(token),
    has: (id) => [...byToken.values()].includes(id),
    ids: () => [...new Set(byToken.values())].sort(),
  };
}

/** Why a page registration is refused, or undefined when it is fine. Never quotes the token. */
export function checkPage(id: unknown, token: unknown): string | undefined {
  if (typeof id !== 'string' || !/^\d+$/.test(id)) return 'a page id is a string of digits';
  if (typeof token !== 'string' || token === '' || /\s/.test(token)) return 'a page token is a non-empty string without spaces';
  return undefined;
}
