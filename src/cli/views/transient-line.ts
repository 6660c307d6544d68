// A status line shown on a TTY while something runs (reading the sources), erased when it is done.
// Off a TTY it writes nothing: a log gets only lines that stay true.
import type { OutputStream } from '../deps.js';

export function showTransient(stream: OutputStream, text: string): () => void {
  if (stream.isTTY !== true) return () => {};
  stream.write(`\x1b[?25l${text}`);
  let cleared = false;
  return () => {
    if (cleared) return;
    cleared = true;
    stream.write('\r\x1b[2K\x1b[?25h');
  };
}
