// Another program holding a SQLite file: a child process (the sqlite3 package) that opens it and
// keeps an exclusive transaction until told to stop on its stdin, as a database browser might.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import type { TestContext } from 'node:test';

const SCRIPT = `
const sqlite3 = require(process.argv[1]);
const db = new sqlite3.Database(process.argv[2]);
db.exec('BEGIN EXCLUSIVE', (error) => {
  if (error) { process.stderr.write(error.message); process.exit(1); }
  process.stdout.write('locked\\n');
});
process.stdin.on('end', () => db.exec('ROLLBACK', () => db.close(() => process.exit(0))));
process.stdin.resume();
`;

/** Resolves once `file` is held under BEGIN EXCLUSIVE by another process; returns how to let go. */
export async function holdExclusively(t: TestContext, file: string): Promise<{ release(): Promise<void> }> {
  const sqlite3 = createRequire(import.meta.url).resolve('sqlite3');
  const child = spawn(process.execPath, ['-e', SCRIPT, sqlite3, file], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = once(child, 'exit');
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('locked\n')) resolve();
    });
    child.on('exit', () => reject(new Error(`the sqlite3 holder ended: ${stderr}`)));
  });
  return {
    async release() {
      child.stdin.end();
      await exited;
    },
  };
}
