// The generated module compiles under the real `tsc --strict`, with no dependency, and its
// attachment() helper returns the Send API object at run time.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderModule } from '../../src/codegen/render-module.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { repoRoot } from '../helpers/paths.js';
import { makeRecord } from '../state/make-record.js';

const tscPath = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
const TSC_FLAGS = ['--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022'];

async function run(cwd: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, output };
}

function project(t: TestContext, use: string, records = [
  makeRecord({ name: 'welcome', page: 'main', attachmentId: '1857777774821032' }),
  makeRecord({ name: 'jingle', page: 'main', type: 'audio', attachmentId: '4242' }),
  makeRecord({ name: 'promo', page: 'support', pageId: '42', type: 'video', attachmentId: '777' }),
]): string {
  const dir = makeTempDir(t);
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  writeFileSync(join(dir, 'attachments.ts'), renderModule(records, { manifestName: 'assets.yaml' }));
  writeFileSync(join(dir, 'use.ts'), use);
  return dir;
}

const USE = `import { attachment, attachments, type AssetName, type PageName } from './attachments.js';
const message: { type: 'image' | 'audio' | 'video' | 'file'; payload: { attachment_id: string } } = attachment('main', 'welcome');
const id: '777' = attachments.support.promo.id;
const page: PageName = 'support';
const asset: AssetName<'main'> = 'jingle';
console.log(JSON.stringify([message, attachment(page, 'promo'), attachment('main', asset), id]));
`;

test('the module compiles under tsc --strict and attachment() gives the Send API object', async (t) => {
  const dir = project(t, USE);
  const compiled = await run(dir, [tscPath, ...TSC_FLAGS, '--outDir', 'out', 'use.ts', 'attachments.ts']);
  assert.equal(compiled.code, 0, compiled.output);
  const ran = await run(dir, [join('out', 'use.js')]);
  assert.equal(ran.code, 0, ran.output);
  assert.deepEqual(JSON.parse(ran.output), [
    { type: 'image', payload: { attachment_id: '1857777774821032' } },
    { type: 'video', payload: { attachment_id: '777' } },
    { type: 'audio', payload: { attachment_id: '4242' } },
    '777',
  ]);
});

test('a wrong asset or page name does not compile', async (t) => {
  for (const call of [`attachment('main', 'welcom')`, `attachment('support', 'welcome')`, `attachment('other', 'welcome')`]) {
    const dir = project(t, `import { attachment } from './attachments.js';\n${call};\n`);
    const compiled = await run(dir, [tscPath, ...TSC_FLAGS, '--noEmit', 'use.ts', 'attachments.ts']);
    assert.notEqual(compiled.code, 0, call);
    assert.match(compiled.output, /use\.ts\(2,/);
  }
});

test('an empty module compiles too', async (t) => {
  const dir = project(t, `import { attachments, type PageName } from './attachments.js';\nconst pages: PageName[] = [];\nconsole.log(Object.keys(attachments).length + pages.length);\n`, []);
  const compiled = await run(dir, [tscPath, ...TSC_FLAGS, '--noEmit', 'use.ts', 'attachments.ts']);
  assert.equal(compiled.code, 0, compiled.output);
});
