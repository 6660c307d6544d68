// A status line shown on a TTY while something runs (reading the sources), erased when it is done.
// Off a TTY it writes nothing: a log gets only lines that stay true.
import { createLiveLine, type LiveLine } from './live-line.js';
import type { OutputStream } from '../deps.js';

export async function showTransient(stream: OutputStream, text: string): Promise<() => void> {
  if (stream.isTTY !== true) return () => {};
  const line: LiveLine = await createLiveLine(stream);
  line(text);
  let cleared = false;
  return () => {
    if (cleared) return;
    cleared = true;
    line.clear();
    line.done();
  };
}
