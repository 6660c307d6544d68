// Colours, when they help: a TTY, and neither NO_COLOR nor --no-color.
import { styleText } from 'node:util';
import type { CliDeps, OutputStream } from '../deps.js';

export type Colour = 'green' | 'yellow' | 'red' | 'cyan' | 'dim' | 'bold';
export type Paint = (colour: Colour, text: string) => string;

export function makePaint(stream: OutputStream, deps: Pick<CliDeps, 'env'>, noColor: boolean): Paint {
  const enabled = stream.isTTY === true && !noColor && !deps.env.NO_COLOR && deps.env.TERM !== 'dumb';
  // styleText would otherwise re-decide from process.stdout's colour depth, which is 1 bit whenever
  // CI is set: the decision above is the one that counts.
  return enabled ? (colour, text) => styleText(colour, text, { validateStream: false }) : (_colour, text) => text;
}
