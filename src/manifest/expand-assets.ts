// From declarations to assets: globs expanded (sorted, so the result never depends on the disk's
// order), names made, pages resolved, types and content types inferred and checked, local files
// checked. One Asset per (page, name), sorted by page then name.
import type { Stats } from 'node:fs';
import { extname, isAbsolute, resolve } from 'node:path';
import fg from 'fast-glob';
import { createLocalFileCheck, type LocalFileCheck } from './check-local-file.js';
import { relativePath } from './inside-folder.js';
import type { Diagnostic } from './diagnostics.js';
import { contentTypeFits, DEFAULT_CONTENT_TYPE, inferContentType, inferType } from './media-types.js';
import { applyNameTemplate, defaultNameTemplate } from './name-template.js';
import type { Asset, AssetDeclaration, AssetType, Manifest, Position, Source } from './types.js';

interface Candidate {
  name: string;
  source: Source;
  /** What to call the source in messages: the relative path or the URL. */
  shown: string;
  ext: string;
}

/** `fileStats`: the stats of every local file the assets name, taken by the checks (following symlinks). */
export async function expandAssets(manifest: Manifest): Promise<{ assets: Asset[]; diagnostics: Diagnostic[]; fileStats: Map<string, Stats> }> {
  const diagnostics: Diagnostic[] = [];
  const file = manifest.displayFile ?? manifest.file;
  const report = (decl: AssetDeclaration, key: string | undefined, summary: string, detail?: string) => {
    const at: Position = (key && decl.valuePositions?.[key]) || decl.position;
    const path = key ? `assets.${decl.key}.${key}` : `assets.${decl.key}`;
    diagnostics.push({ severity: 'error', summary, detail, file, line: at.line, column: at.column, path });
  };
  const pageIds = new Map(manifest.pages.map((p) => [p.key, p.id]));
  const byPageAndName = new Map<string, { asset: Asset; shown: string }>();
  const assets: Asset[] = [];
  const fileStats = new Map<string, Stats>();
  const checkLocalFile = createLocalFileCheck(manifest.dir, fileStats);

  for (const decl of manifest.assets) {
    for (const candidate of await candidatesOf(decl, manifest.dir, checkLocalFile, report)) {
      const typed = typeOf(decl, candidate, report);
      if (!typed) continue;
      for (const page of decl.pages) {
        const asset: Asset = {
          name: candidate.name,
          page,
          pageId: pageIds.get(page) ?? '',
          type: typed.type,
          contentType: typed.contentType,
          source: candidate.source,
          via: decl.via,
          position: decl.position,
          declaredAs: decl.key,
        };
        const id = `${page}\u0000${asset.name}`;
        const earlier = byPageAndName.get(id);
        if (earlier) {
          report(decl, decl.glob ? 'glob' : undefined, `two assets are named "${asset.name}" on page ${page}: ${earlier.shown} (assets.${earlier.asset.declaredAs}) and ${candidate.shown} (assets.${decl.key})`, decl.glob ? 'give the glob a `name:` template that tells them apart, like "{dir}_{stem}"' : 'rename one of them');
          continue;
        }
        byPageAndName.set(id, { asset, shown: candidate.shown });
        assets.push(asset);
      }
    }
  }
  assets.sort((a, b) => compare(a.page, b.page) || compare(a.name, b.name));
  return { assets, diagnostics, fileStats };
}

type Report = (decl: AssetDeclaration, key: string | undefined, summary: string, detail?: string) => void;

async function candidatesOf(decl: AssetDeclaration, dir: string, checkLocalFile: LocalFileCheck, report: Report): Promise<Candidate[]> {
  if (decl.url !== undefined) {
    const url = decl.url;
    const ext = URL.canParse(url) ? extname(new URL(url).pathname) : '';
    return [{ name: decl.key, source: { kind: 'url', url, allowPrivate: decl.allowPrivateUrls }, shown: url, ext }];
  }
  if (decl.path !== undefined) {
    const path = resolve(dir, decl.path);
    const problem = checkLocalFile(path, decl.allowOutside);
    if (problem) {
      report(decl, 'path', problem.summary, problem.detail);
      return [];
    }
    return [fileCandidate(decl.key, path, dir)];
  }
  if (decl.glob === undefined) return [];
  const pattern = decl.glob;
  if (!decl.allowOutside && (isAbsolute(pattern) || pattern.split(/[\\/]/).includes('..'))) {
    report(decl, 'glob', `${pattern} reaches outside the manifest's folder`, 'keep media inside the folder of the manifest, or set `allow_outside: true` on the asset');
    return [];
  }
  let matches: string[];
  try {
    matches = await fg(pattern, { cwd: dir, absolute: true, onlyFiles: true, unique: true, dot: false, suppressErrors: true });
  } catch (error) {
    report(decl, 'glob', `is not a valid glob: ${(error as Error).message}`);
    return [];
  }
  if (matches.length === 0) {
    report(decl, 'glob', `${pattern} matches no files`, 'check the pattern and that the files are committed');
    return [];
  }
  matches.sort();
  const candidates: Candidate[] = [];
  for (const match of matches) {
    const problem = checkLocalFile(match, decl.allowOutside);
    if (problem) {
      report(decl, 'glob', problem.summary, problem.detail);
      continue;
    }
    const candidate = fileCandidate(decl.key, match, dir);
    candidate.name = applyNameTemplate(decl.name ?? defaultNameTemplate(decl.key), candidate.shown);
    candidates.push(candidate);
  }
  return candidates;
}

function fileCandidate(key: string, path: string, dir: string): Candidate {
  const relPath = relativePath(dir, path).split('\\').join('/');
  return { name: key, source: { kind: 'file', path, relPath }, shown: relPath, ext: extname(path) };
}

/** The type and content type, or a diagnostic when they contradict each other or the extension. */
function typeOf(decl: AssetDeclaration, c: Candidate, report: Report): { type: AssetType; contentType: string } | undefined {
  const inferredType = inferType(c.ext);
  const inferredContentType = inferContentType(c.ext);
  const type = decl.type ?? inferredType;
  const contentType = decl.contentType ?? inferredContentType;
  const of = decl.glob ? ` (${c.shown})` : '';
  if (decl.contentType !== undefined && !contentTypeFits(type, decl.contentType)) {
    if (decl.type) {
      report(decl, 'content_type', `content_type "${decl.contentType}" contradicts type: ${decl.type} (needs ${decl.type}/*)${of}`, `use ${article(decl.type)} ${decl.type}/* content type, or type: file`);
    } else {
      report(decl, 'content_type', `content_type "${decl.contentType}" contradicts the extension ${c.ext || '(none)'}, which makes it ${inferredType}${of}`, 'set `type:` to what the file really is, or type: file');
    }
    return undefined;
  }
  if (decl.contentType === undefined && decl.type && !contentTypeFits(decl.type, inferredContentType)) {
    if (inferredContentType !== DEFAULT_CONTENT_TYPE) {
      report(decl, 'type', `type: ${decl.type} contradicts the extension ${c.ext} (${inferredContentType})${of}`, `use type: ${inferredType}, or type: file to send it as a plain file`);
      return undefined;
    }
    // A URL without a known extension: the server's Content-Type decides, when it is fetched.
    if (c.source.kind === 'file') {
      report(decl, 'type', `type: ${decl.type} needs ${article(decl.type)} ${decl.type}/* content type, and the extension ${c.ext || '(none)'} gives none${of}`, `add content_type: ${decl.type}/…`);
      return undefined;
    }
  }
  return { type, contentType };
}

function article(type: AssetType): string {
  return type === 'image' || type === 'audio' ? 'an' : 'a';
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
