// What must hold of a local file before it can be an attachment: inside the manifest's folder
// (after following symlinks) unless allowed, a readable regular file, not empty, at most 25 MB.
// Synchronous on purpose: a manifest may name 10,000 files, and three thread-pool round trips per
// file cost a no-op plan about a second, where the same calls made synchronously cost ~50 ms.
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { isLexicallyInside, realpathOrSelf } from './inside-folder.js';

/** Meta's limit for an uploaded file (SPEC §1). */
export const MAX_FILE_BYTES = 25 * 1024 * 1024;

export interface FileProblem {
  summary: string;
  detail?: string;
}

export function checkLocalFile(path: string, dir: string, allowOutside: boolean): FileProblem | undefined {
  const outsideHint = 'keep media inside the folder of the manifest, or set `allow_outside: true` on the asset';
  if (!allowOutside && !isLexicallyInside(dir, path)) {
    return { summary: `${path} is outside the manifest's folder`, detail: outsideHint };
  }
  let info;
  try {
    info = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { summary: `no such file: ${shown(path, dir)}`, detail: 'check the spelling and that the file is committed' };
    if (code === 'ELOOP') return { summary: `${shown(path, dir)} is a symlink loop` };
    if (code === 'EACCES') return { summary: `${shown(path, dir)} cannot be read: permission denied` };
    return { summary: `${shown(path, dir)} cannot be read: ${(error as Error).message}` };
  }
  if (info.isDirectory()) return { summary: `${shown(path, dir)} is a folder, not a file`, detail: 'use glob: to take the files inside it' };
  if (!info.isFile()) return { summary: `${shown(path, dir)} is not a regular file` };
  if (!allowOutside) {
    const real = realpathSync.native(path);
    if (!isLexicallyInside(realpathOrSelf(dir), real)) {
      return { summary: `${shown(path, dir)} is a symlink to ${real}, outside the manifest's folder`, detail: outsideHint };
    }
  }
  try {
    accessSync(path, constants.R_OK);
  } catch {
    return { summary: `${shown(path, dir)} cannot be read: permission denied`, detail: 'check its permissions (chmod a+r)' };
  }
  if (info.size === 0) return { summary: `${shown(path, dir)} is empty`, detail: 'an attachment needs some bytes' };
  if (info.size > MAX_FILE_BYTES) {
    return { summary: `${shown(path, dir)} is ${info.size} bytes, over the 25 MB (${MAX_FILE_BYTES} bytes) limit for attachments` };
  }
  return undefined;
}

function shown(path: string, dir: string): string {
  const rel = relative(dir, path);
  return isLexicallyInside(dir, path) ? rel.split('\\').join('/') : path;
}
