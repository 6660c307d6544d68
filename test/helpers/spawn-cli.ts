// Runs the built CLI as a real child process that the test can watch and kill while it works:
// wait for a line on its stdout (an event, not a sleep), SIGKILL it, or let it finish.
import { spawn, type ChildProcess } from 'node:child_process';
import { binPath } from './paths.js';
import type { CliRun, RunOptions } from './exec.js';

export interface RunningCli {
  child: ChildProcess;
  pid: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves once `matches(stdout so far)` holds; rejects if the process ends first. */
  waitForStdout(matches: (stdout: string) => boolean, what: string): Promise<void>;
  /** The same for stderr. */
  waitForStderr(matches: (stderr: string) => boolean, what: string): Promise<void>;
  /** Settles when the process has ended (by itself or killed). */
  exited: Promise<CliRun>;
  kill(): Promise<CliRun>;
}

export function startCli(args: string[], options: RunOptions): RunningCli {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, NO_COLOR: '1', ...options.env })) {
    if (v !== undefined) env[k] = v;
  }
  const child = spawn(process.execPath, [binPath, ...args], { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let ended = false;
  const watchers = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    for (const check of [...watchers]) check();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    for (const check of [...watchers]) check();
  });
  const exited = new Promise<CliRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      ended = true;
      for (const check of [...watchers]) check();
      resolve({ code, signal, stdout, stderr });
    });
  });
  child.stdin.end(options.input ?? '');
  return {
    child,
    pid: child.pid!,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    waitForStdout: (matches, what) => waitFor(() => stdout, matches, what),
    waitForStderr: (matches, what) => waitFor(() => stderr, matches, what),
    exited,
    kill() {
      if (!ended) child.kill('SIGKILL');
      return exited;
    },
  };

  function waitFor(text: () => string, matches: (text: string) => boolean, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (matches(text())) {
          watchers.delete(check);
          resolve();
        } else if (ended) {
          watchers.delete(check);
          reject(new Error(`the CLI ended before ${what}:\n--- stdout\n${stdout}\n--- stderr\n${stderr}`));
        }
      };
      watchers.add(check);
      check();
    });
  }
}

/** How many lines of stdout start with `word ` (e.g. `created`). */
export function countLines(stdout: string, word: string): number {
  return stdout.split('\n').filter((line) => line.startsWith(`${word} `)).length;
}
