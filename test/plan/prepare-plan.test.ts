import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadManifest } from '../../src/manifest/load-manifest.js';
import { preparePlan } from '../../src/plan/prepare-plan.js';
import type { StateStore } from '../../src/state/types.js';
import { UserError } from '../../src/user-error.js';
import { HEAD, makeProject } from '../manifest/helpers.js';

/** A state whose read fails as an unreachable server's would; nothing else of it is used. */
function unreadableState(error: Error): StateStore {
  const unused = () => Promise.reject(new Error('not used by preparePlan'));
  return { displayUrl: 'postgres://db/attachform', read: () => Promise.reject(error), putRecord: unused, removeRecord: unused, acquireLock: unused, forceUnlock: unused, close: async () => {} };
}

test('a state that cannot be read is the error plan reports, and it stops the hashing: no stat cache is written', async (t) => {
  const files = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`media/f${i}.bin`, `bytes ${i}`]));
  const project = makeProject(t, `${HEAD}  media:\n    glob: "media/*.bin"\n    type: file\n`, files);
  const { manifest, assets, fileStats, diagnostics } = await loadManifest(project.manifest);
  assert.deepEqual(diagnostics, []);
  assert.ok(manifest);
  const unreachable = new UserError('Cannot reach state postgres://db/attachform: connection refused.');
  await assert.rejects(
    preparePlan({ manifest, assets, fileStats, manifestPath: 'assets.yaml', state: unreadableState(unreachable), now: new Date(), version: 'test' }),
    (error: unknown) => error === unreachable,
  );
  assert.equal(existsSync(join(project.dir, '.attachform', 'stat-cache.json')), false, 'the sources stopped before finishing');
});
