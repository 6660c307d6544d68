// Every bad manifest of issue 4 gives exactly the expected `FILE:LINE:COL: error: PATH: message`
// lines, all at once, and no assets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { badCases } from './bad-input-cases.js';
import { makeProject } from './helpers.js';
import { loadManifest } from '../../src/manifest/load-manifest.js';
import { formatDiagnostic } from '../../src/manifest/diagnostics.js';

test('there are at least 30 bad-input cases', () => {
  assert.ok(badCases.length >= 30, `only ${badCases.length} cases`);
});

for (const c of badCases) {
  test(`bad input: ${c.name}`, async (t) => {
    const project = makeProject(t, '', c.files);
    writeFileSync(project.manifest, typeof c.yaml === 'function' ? c.yaml(project) : c.yaml);
    c.setup?.(project);
    const result = await loadManifest(project.manifest, { displayPath: 'assets.yaml' });
    const expected = typeof c.expect === 'function' ? c.expect(project) : c.expect;
    assert.deepEqual(result.diagnostics.map(formatDiagnostic), expected);
    assert.deepEqual(result.assets, []);
  });
}

test('three different errors come back as three diagnostics', async (t) => {
  const c = badCases.find((x) => x.name.startsWith('three different errors'));
  assert.ok(c);
  const project = makeProject(t, c.yaml as string, c.files);
  const result = await loadManifest(project.manifest);
  assert.equal(result.diagnostics.length, 3);
  assert.deepEqual(result.diagnostics.map((d) => d.path), ['pages.main.id', 'assets.welcome.type', 'defaults.ttl']);
  assert.ok(result.diagnostics.every((d) => d.file === project.manifest), 'the file defaults to the path as passed');
});
