// The error a second holder of the state lock gets: it names who holds the lock, where, since when,
// and the lock id to break it with.
import { UserError } from '../user-error.js';
import type { LockInfo } from './types.js';

export class LockHeldError extends UserError {
  readonly holder: LockInfo;

  constructor(holder: LockInfo, displayUrl?: string) {
    const where = displayUrl ? `State ${displayUrl} is locked` : 'The state is locked';
    super(
      `${where} by ${holder.who} on ${holder.host} (pid ${holder.pid}) since ${holder.since}, ` +
        `for "${holder.operation}" (lock id ${holder.id}).`,
      {
        hint:
          'Wait for it with --lock-timeout DURATION (e.g. --lock-timeout 5m), or, if that run is gone, ' +
          `break the lock with: attachform force-unlock ${holder.id}`,
      },
    );
    this.name = 'LockHeldError';
    this.holder = holder;
  }
}
