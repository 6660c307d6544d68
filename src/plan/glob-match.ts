// --target/--exclude patterns, matched with picomatch (`*`, `?`, `[abc]`, `{a,b}`, `!(…)`, …).
// A pattern with a `/` is matched against `page/name`, one without against the name alone.
import picomatch from 'picomatch';

const cache = new Map<string, (text: string) => boolean>();

export function matchesGlob(pattern: string, page: string, name: string): boolean {
  let isMatch = cache.get(pattern);
  if (!isMatch) {
    isMatch = picomatch(pattern, { dot: true });
    cache.set(pattern, isMatch);
  }
  return isMatch(pattern.includes('/') ? `${page}/${name}` : name);
}
