// Writing generated outputs: untouched when the bytes are already right (so mtime-based tools and
// `git status` see nothing), else replaced atomically (src/write-file-atomic.ts), so a reader never
// sees half a file.
import { readFile } from 'node:fs/promises';
import { UserError } from '../user-error.js';
import { writeFileAtomic } from '../write-file-atomic.js';

export async function writeOutput(path: string, text: string): Promise<'written' | 'unchanged'> {
  const bytes = Buffer.from(text, 'utf8');
  try {
    const existing = await readIfExists(path);
    if (existing?.equals(bytes)) return 'unchanged';
    await writeFileAtomic(path, bytes, { makeFolder: true });
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

function explainFsError(error: unknown, path: string, action: 'read' | 'write'): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== 'string' || error instanceof UserError) return error;
  return new UserError(`Cannot ${action} output ${path}: ${(error as Error).message}`, {
    hint: 'Check `outputs:` in the manifest: the path must be a file in a folder you can write to.',
    cause: error,
  });
}
