// Ctrl-C, or a CI job being cancelled (SIGINT, SIGTERM), while apply uploads: start no new request,
// let those in flight finish and be recorded, write the outputs and release the state lock — so a
// cancelled job leaves no lock for the next one to wait out. A second signal quits at once (the
// default action of that signal), leaving the lock to go stale.
import type { OutputStream } from './deps.js';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export interface Interrupts {
  /** The signal received, once one was. */
  received(): NodeJS.Signals | undefined;
  /** Restores the default handling. */
  stop(): void;
}

export function watchInterrupts(stderr: OutputStream): Interrupts {
  let received: NodeJS.Signals | undefined;
  const stop = () => {
    for (const name of SIGNALS) process.off(name, onSignal);
  };
  function onSignal(signal: NodeJS.Signals): void {
    if (received) {
      stop();
      process.kill(process.pid, signal);
      return;
    }
    received = signal;
    stderr.write(`\n${signal}: starting no new upload; finishing those in flight, then recording them and releasing the state lock (send ${signal} again to quit at once)\n`);
  }
  for (const name of SIGNALS) process.on(name, onSignal);
  return { received: () => received, stop };
}
