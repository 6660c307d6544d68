// Rewrites the manifest's outputs (the TypeScript module, and the JSON map when asked) from the
// state's records: atomically, and only when the bytes differ.
import { basename, relative } from 'node:path';
import type { Manifest } from '../manifest/types.js';
import type { AssetRecord } from '../state/types.js';
import { renderJson, renderModule } from './render-module.js';
import { checkOutput, writeOutput } from './write-output.js';

export interface OutputResult {
  /** Relative to the manifest's folder. */
  path: string;
  status: 'written' | 'unchanged';
}

export interface OutputCheck {
  path: string;
  status: 'same' | 'differs' | 'missing';
}

function renderOutputs(manifest: Manifest, records: AssetRecord[]): Array<{ file: string; text: string }> {
  const outputs = [{ file: manifest.outputs.typescript, text: renderModule(records, { manifestName: basename(manifest.file) }) }];
  if (manifest.outputs.json) outputs.push({ file: manifest.outputs.json, text: renderJson(records) });
  return outputs;
}

export async function emitOutputs(manifest: Manifest, records: AssetRecord[]): Promise<OutputResult[]> {
  const results: OutputResult[] = [];
  for (const { file, text } of renderOutputs(manifest, records)) {
    results.push({ path: relative(manifest.dir, file), status: await writeOutput(file, text) });
  }
  return results;
}

export async function checkOutputs(manifest: Manifest, records: AssetRecord[]): Promise<OutputCheck[]> {
  const results: OutputCheck[] = [];
  for (const { file, text } of renderOutputs(manifest, records)) {
    results.push({ path: relative(manifest.dir, file), status: await checkOutput(file, text) });
  }
  return results;
}
