// Joins each planned action to its manifest asset and source facts (what the upload needs that the
// plan document itself does not carry: absolute paths, URL policy, validators).
import type { Asset } from '../manifest/types.js';
import { sourceKey } from '../sources/source-key.js';
import type { SourceFacts, SourceKey } from '../sources/types.js';
import type { PlannedAction } from '../plan/types.js';
import { actionKey, type ActionInput } from './types.js';

export function collectInputs(actions: PlannedAction[], assets: Asset[], facts: Map<SourceKey, SourceFacts>): Map<string, ActionInput> {
  const byKey = new Map(assets.map((asset) => [actionKey({ page_id: asset.pageId, name: asset.name }), asset]));
  const inputs = new Map<string, ActionInput>();
  for (const action of actions) {
    const asset = byKey.get(actionKey(action));
    if (asset) inputs.set(actionKey(action), { asset, facts: facts.get(sourceKey(asset.source)) });
  }
  return inputs;
}
