// Progress while apply works. Behind one small interface, two displays:
// - on a TTY, a live status line under the finished-action lines (done/total, bytes, rate, ETA,
//   retries and rate-limit waits), redrawn in place with plain ANSI, the cursor hidden meanwhile
//   and restored at the end (and on exit, should the process end early);
// - in a log (CI), one line per finished action, plus a line every few seconds while a page waits
//   out a rate limit or an upload waits for its retry, so a long pause never looks like a hang.
import type { ApplyEvent } from '../../apply/types.js';
import { needsUpload, type Plan } from '../../plan/types.js';
import type { OutputStream } from '../deps.js';
import { eventLine } from './apply-view.js';
import type { Paint } from './style.js';
import { createLiveLine, type LiveLine } from './live-line.js';

export interface ApplyProgress {
  onEvent(event: ApplyEvent): void;
  /** Clears the live line and restores the cursor; idempotent. */
  stop(): void;
}

export interface ProgressOptions {
  /** Monotonic milliseconds. */
  clock: () => number;
  /** How often a log gets a line during a long wait (default 5 s). */
  heartbeatMs?: number;
  /** How often the live line is redrawn (default 100 ms). */
  redrawMs?: number;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export async function createApplyProgress(stream: OutputStream, paint: Paint, plan: Plan, options: ProgressOptions): Promise<ApplyProgress> {
  const tally = new Tally(plan, options.clock);
  return stream.isTTY === true ? new LiveProgress(stream, paint, tally, options, await createLiveLine(stream)) : new LogProgress(stream, paint, tally, options);
}

/** What is done and what is pending, shared by both displays. */
class Tally {
  readonly total: number;
  readonly totalBytes: number;
  done = 0;
  doneBytes = 0;
  inFlight = new Set<string>();
  retrying = new Map<string, number>();
  /** Page → when its rate-limit pause ends (monotonic ms). */
  waits = new Map<string, number>();
  startedAt: number | undefined;

  constructor(plan: Plan, readonly clock: () => number) {
    const changes = plan.actions.filter((a) => a.action !== 'noop');
    this.total = changes.length;
    this.totalBytes = changes.filter(needsUpload).reduce((sum, a) => sum + a.size, 0);
  }

  apply(event: ApplyEvent): void {
    const now = this.clock();
    const key = 'action' in event ? `${event.action.page_id}/${event.action.name}` : '';
    if (event.type === 'started') {
      this.startedAt ??= now;
      this.inFlight.add(key);
      this.retrying.delete(key);
    } else if (event.type === 'retried') {
      this.inFlight.delete(key);
      this.retrying.set(key, now + event.delayMs);
    } else if (event.type === 'waiting') {
      this.waits.set(event.page, now + event.delayMs);
    } else if (event.type === 'recorded' || event.type === 'failed' || event.type === 'forgotten') {
      this.done++;
      this.inFlight.delete(key);
      this.retrying.delete(key);
      if (event.type === 'recorded' && event.uploaded) this.doneBytes += event.action.size;
    }
  }

  activeWaits(): Array<[string, number]> {
    const now = this.clock();
    return [...this.waits].filter(([, until]) => until > now).map(([page, until]) => [page, until - now]);
  }

  status(frame: number): string {
    const parts = [`${SPINNER[frame % SPINNER.length]} ${this.done}/${this.total} done`];
    if (this.totalBytes > 0) parts.push(`${formatBytes(this.doneBytes)} of ${formatBytes(this.totalBytes)}`);
    const elapsed = this.startedAt === undefined ? 0 : (this.clock() - this.startedAt) / 1000;
    if (elapsed > 0.5 && this.doneBytes > 0) {
      const rate = this.doneBytes / elapsed;
      parts.push(`${formatBytes(rate)}/s`, `ETA ${formatSeconds((this.totalBytes - this.doneBytes) / rate)}`);
    }
    if (this.inFlight.size > 0) parts.push(`${this.inFlight.size} uploading`);
    if (this.retrying.size > 0) parts.push(`${this.retrying.size} retrying`);
    for (const [page, left] of this.activeWaits()) parts.push(`${page} rate limited, ${formatSeconds(left / 1000)} left`);
    return parts.join(' · ');
  }
}

/** The TTY display: log-update keeps one status line below the finished-action lines, hides the cursor while it runs and shows it again at the end (and on exit). */
class LiveProgress implements ApplyProgress {
  private frame = 0;
  private timer: NodeJS.Timeout;
  private stopped = false;
  constructor(private stream: OutputStream, private paint: Paint, private tally: Tally, options: ProgressOptions, private readonly status: LiveLine) {
    this.timer = setInterval(() => this.redraw(), options.redrawMs ?? 100);
    this.timer.unref();
    this.redraw();
  }

  onEvent(event: ApplyEvent): void {
    this.tally.apply(event);
    const line = eventLine(event, this.paint);
    if (line && event.type !== 'retried' && event.type !== 'waiting') {
      this.status.clear();
      this.stream.write(`${line}\n`);
    }
    this.redraw();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    this.status.clear();
    this.status.done();
  }

  private redraw(): void {
    if (this.stopped) return;
    const width = Math.max(20, (this.stream.columns || 80) - 1);
    const text = this.tally.status(this.frame++);
    this.status(this.paint('cyan', text.length > width ? `${text.slice(0, width - 1)}…` : text));
  }
}

class LogProgress implements ApplyProgress {
  private timer: NodeJS.Timeout | undefined;

  constructor(private stream: OutputStream, private paint: Paint, private tally: Tally, private options: ProgressOptions) {}

  onEvent(event: ApplyEvent): void {
    this.tally.apply(event);
    const line = eventLine(event, this.paint);
    if (line) this.stream.write(`${line}\n`);
    if ((event.type === 'waiting' || event.type === 'retried') && event.delayMs > 0) this.startHeartbeat();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private startHeartbeat(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.beat(), this.options.heartbeatMs ?? 5000);
    this.timer.unref();
  }

  private beat(): void {
    const waits = this.tally.activeWaits();
    const now = this.tally.clock();
    const retries = [...this.tally.retrying].filter(([, until]) => until > now);
    if (waits.length === 0 && retries.length === 0) return this.stop();
    const parts = waits.map(([page, left]) => `page ${page} rate limited, ${formatSeconds(left / 1000)} left`);
    if (retries.length > 0) parts.push(`${retries.length} upload${retries.length === 1 ? '' : 's'} waiting to retry`);
    this.stream.write(`${this.paint('yellow', 'still waiting:')} ${parts.join('; ')} (${this.tally.done}/${this.tally.total} done)\n`);
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  const units = ['kB', 'MB', 'GB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes}m ${Math.ceil(seconds % 60)}s` : `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}
