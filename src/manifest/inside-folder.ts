// The path rule of SPEC §2: what a manifest names stays inside its folder, after following symlinks.
import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, sep } from 'node:path';

/** Whether `target` is inside `dir`, lexically and after following the symlinks that exist. */
export function isInside(dir: string, target: string): boolean {
  if (!isLexicallyInside(dir, target)) return false;
  const realDir = realpathOrSelf(dir);
  let existing = target;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  return isLexicallyInside(realDir, realpathOrSelf(existing));
}

export function isLexicallyInside(dir: string, target: string): boolean {
  const rel = relative(dir, target);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

export function realpathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
