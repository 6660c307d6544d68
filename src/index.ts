// The library API: what the CLI itself uses, stage by stage (manifest → sources → plan → apply →
// state → codegen), plus the Graph client and the emulator. The library never imports cli/.
export { UserError } from './user-error.js';
export { VERSION } from './version.js';

// manifest
export type { Diagnostic } from './manifest/diagnostics.js';
export { formatDiagnostic, hasErrors } from './manifest/diagnostics.js';
export type * from './manifest/types.js';
export { readManifest, expandAssets, loadManifest, inferType, inferContentType, parseDuration } from './manifest/load-manifest.js';

// sources
export type * from './sources/types.js';
export { readSources } from './sources/read-sources.js';
export { fetchUrl } from './sources/fetch-url.js';
export { hashFile } from './sources/hash-file.js';
export { sourceKey } from './sources/source-key.js';
export { SourceError } from './sources/source-error.js';

// plan
export type * from './plan/types.js';
export { needsUpload, isChange } from './plan/types.js';
export { buildPlan, type PlanInput } from './plan/build-plan.js';
export { preparePlan, type PreparedPlan } from './plan/prepare-plan.js';

// apply
export type { ApplyDeps, ApplyEvent, ApplyFailure, ApplyOptions, ApplyResult } from './apply/types.js';
export { applyPlan } from './apply/apply-plan.js';
export { collectInputs } from './apply/collect-inputs.js';

// graph
export type * from './graph/types.js';
export { createGraphClient } from './graph/graph-client.js';
export { GraphError, isGraphError } from './graph/graph-error.js';

// state
export type * from './state/types.js';
export { openState, LockHeldError } from './state/open-state.js';

// codegen
export { renderModule, renderJson } from './codegen/render-module.js';
export { writeOutput, checkOutput } from './codegen/write-output.js';
export { emitOutputs, checkOutputs } from './codegen/emit-outputs.js';

// emulator
export { startEmulator, type EmulatorOptions, type RunningEmulator } from './emulator/index.js';
