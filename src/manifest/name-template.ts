// Names of glob assets: the template (`{stem}`, `{ext}`, `{dir}`; default `<key>_{stem}`) filled
// from each match, then sanitised to what the generated module can use as a key.
import { basename, dirname, extname } from 'node:path';

/** `[^A-Za-z0-9_]` → `_`, and a leading `_` before a leading digit: `2-b.png` → `_2_b_png`. */
export function sanitizeName(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9_]/g, '_');
  return clean === '' ? '_' : /^[0-9]/.test(clean) ? `_${clean}` : clean;
}

/**
 * Fills a template from a match's path relative to the manifest's folder: `{stem}` its name without
 * the extension, `{ext}` the extension without the dot, `{dir}` the name of the folder holding it.
 */
export function applyNameTemplate(template: string, relPath: string): string {
  const ext = extname(relPath);
  const values: Record<string, string> = {
    stem: basename(relPath, ext),
    ext: ext.slice(1),
    dir: basename(dirname(relPath)) === '.' ? '' : basename(dirname(relPath)),
  };
  return sanitizeName(template.replace(/\{(stem|ext|dir)\}/g, (_, key: string) => values[key]));
}

export function defaultNameTemplate(key: string): string {
  return `${key}_{stem}`;
}
