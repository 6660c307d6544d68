// Everything a command touches of the outside world, built once in bin.ts and passed down, so tests
// can run commands in-process with their own streams, env and clock.

export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliDeps {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: OutputStream;
  stderr: OutputStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** The clock: `ATTACHFORM_NOW` when set, else the system time. */
  now: () => Date;
}

/** How a command ended; cli/main.ts alone turns this into an exit code. */
export type Outcome = 'ok' | 'changes' | 'failed';
