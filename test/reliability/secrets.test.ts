// One whole session — validate, plan, plan --json, an apply where one page's token is refused and a
// URL asset fails with an error quoting its URL, a good apply, codegen, a run with a token variable
// missing — with everything it printed and wrote, and everything the emulator saw, searched for
// every token, raw and URL-encoded. None may appear.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { makeProject, PAGES, projectManifest } from '../helpers/project.js';
import { startMediaServer } from '../helpers/reliability.js';
import type { CliRun } from '../helpers/exec.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'media' ? [] : filesUnder(full);
    return statSync(full).isFile() ? [full] : [];
  });
}

test('no token appears in any output, error, plan, state, generated file or emulator log of a whole session', { timeout: 60_000 }, async (t) => {
  const media = await startMediaServer(t);
  media.route('/poster.png', Buffer.from('\x89PNG poster'), 'image/png', 'not-found');
  const project = await makeProject(
    t,
    projectManifest(`  welcome:
    path: media/welcome.png
    pages: [main, support]
  menu:
    path: media/menu.pdf
    pages: [main, support]
  poster:
    url: ${media.url}/poster.png?size=large
    type: image
    allow_private_urls: true
`),
  );
  // A refused token with characters that URL encoding changes, so both forms are searched for.
  const refused = 'EAA/refused+support=token&x0123456789';
  const tokens = [PAGES.main.token, PAGES.support.token, refused];
  const runs: Array<[string, CliRun]> = [];
  const run = async (label: string, args: string[], env?: Record<string, string | undefined>) => {
    const result = await project.cli(args, env);
    runs.push([label, result]);
    return result;
  };

  assert.equal((await run('validate', ['validate'])).code, 0);
  assert.equal((await run('plan', ['plan'])).code, 0);
  assert.equal((await run('plan --json', ['plan', '--json'])).code, 0);
  const failing = await run('apply, support refused', ['apply', '--auto-approve'], { [PAGES.support.env]: refused });
  assert.equal(failing.code, 1);
  assert.match(failing.stdout, /\[code 190, fbtrace_id /, 'the 190 path ran');
  assert.match(failing.stdout, /2018008/, 'the error that quotes a URL ran');
  const good = await run('apply', ['apply', '--auto-approve']);
  assert.equal(good.code, 1, 'the poster still fails');
  assert.equal((await run('codegen', ['codegen'])).code, 0);
  const missing = await run('plan, token unset', ['plan'], { [PAGES.main.env]: undefined });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /MAIN_PAGE_TOKEN is not set/);
  assert.equal((await run('apply --help', ['apply', '--help'])).code, 0);

  const haystacks: Array<[string, string]> = [];
  for (const [label, result] of runs) haystacks.push([`${label} stdout`, result.stdout], [`${label} stderr`, result.stderr]);
  const written = filesUnder(project.dir);
  assert.ok(written.some((f) => f.endsWith('state.sqlite')), 'the state is searched');
  assert.ok(written.some((f) => f.endsWith('attachments.ts')), 'the module is searched');
  for (const file of written) haystacks.push([file, readFileSync(file).toString('latin1')]);
  for (const route of ['requests', 'attachments', 'pages', 'config']) {
    haystacks.push([`emulator ${route}`, await (await fetch(`${project.emulator.url}/__emulator/${route}`)).text()]);
  }
  const requests = await project.requests();
  assert.ok(requests.some((r) => r.errorCode === 190) && requests.some((r) => r.status === 200), 'the log holds both kinds of call');

  for (const token of tokens) {
    for (const form of new Set([token, encodeURIComponent(token), encodeURIComponent(token).replace(/%20/g, '+')])) {
      for (const [where, text] of haystacks) assert.ok(!text.includes(form), `a token (${form === token ? 'raw' : 'URL-encoded'}) in ${where}`);
    }
  }
});
