// A small glob matcher for --target/--exclude: `*` any run of characters, `?` one character,
// `[abc]`/`[a-z]`/`[!a]` one of a set, `{a,b}` either. Names have no folders, so `*` crosses `/`:
// a pattern with a `/` is matched against `page/name`, one without against the name alone.

export function matchesGlob(pattern: string, page: string, name: string): boolean {
  return globToRegExp(pattern).test(pattern.includes('/') ? `${page}/${name}` : name);
}

const cache = new Map<string, RegExp>();

export function globToRegExp(pattern: string): RegExp {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let source = '';
  let braces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) source += '\\[';
      else {
        const body = pattern.slice(i + 1, end);
        const negated = body.startsWith('!') || body.startsWith('^');
        source += `[${negated ? '^' : ''}${(negated ? body.slice(1) : body).replace(/[\\\]^]/g, '\\$&')}]`;
        i = end;
      }
    } else if (c === '{') {
      braces++;
      source += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      source += ')';
    } else if (c === ',' && braces > 0) source += '|';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  source += ')'.repeat(braces);
  const regExp = new RegExp(`^${source}$`);
  cache.set(pattern, regExp);
  return regExp;
}
