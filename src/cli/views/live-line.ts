// One live line on a TTY, drawn by log-update (which hides the cursor while it runs and shows it
// again at the end, or on exit). The stream is handed over with a usable width: a terminal that
// reports 0 columns would otherwise have every character wrapped onto a line of its own.
// log-update (and its dozen small modules) is loaded only when there is a TTY to draw on.
import type { createLogUpdate } from 'log-update';
import type { OutputStream } from '../deps.js';

export type LiveLine = ReturnType<typeof createLogUpdate>;

export async function createLiveLine(stream: OutputStream): Promise<LiveLine> {
  const { createLogUpdate } = await import('log-update');
  const target = {
    write: (chunk: string) => stream.write(chunk),
    get columns() {
      return stream.columns && stream.columns >= 20 ? stream.columns : 80;
    },
    rows: 24,
    isTTY: true,
  };
  return createLogUpdate(target as unknown as NodeJS.WritableStream, { showCursor: false });
}
