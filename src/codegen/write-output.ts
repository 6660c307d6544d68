// Writing generated outputs: untouched when the bytes are already right (so mtime-based tools and
// `git status` see nothing), else replaced atomically — a temp file in the same folder, fsync'd,
// then renamed over the old one — so a reader never sees half a file.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../user-error.js';

export async function writeOutput(path: string, text: string): Promise<'written' | 'unchanged'> {
  const bytes = Buffer.from(text, 'utf8');
  try {
    const existing = await readIfExists(path);
    if (existing?.equals(bytes)) return 'unchanged';
    const dir = dirname(path);
    await mkdir(dir, { recursive: true });
    const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const handle = await open(temp, 'wx');
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    await syncFolder(dir);
    return 'written';
  } catch (error) {
    throw explainFsError(error, path, 'write');
  }
}

export async function checkOutput(path: string, text: string): Promise<'same' | 'differs' | 'missing'> {
  try {
    const existing = await readIfExists(path);
    if (existing === undefined) return 'missing';
    return existing.equals(Buffer.from(text, 'utf8')) ? 'same' : 'differs';
  } catch (error) {
    throw explainFsError(error, path, 'read');
  }
}

async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Makes the rename itself durable; not every platform can open a folder, which is fine. */
async function syncFolder(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}

function explainFsError(error: unknown, path: string, action: 'read' | 'write'): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== 'string' || error instanceof UserError) return error;
  return new UserError(`Cannot ${action} output ${path}: ${(error as Error).message}`, {
    hint: 'Check `outputs:` in the manifest: the path must be a file in a folder you can write to.',
    cause: error,
  });
}
