// The library API: what the CLI itself uses, stage by stage (manifest → sources → plan → apply →
// state → codegen), plus the emulator. The library never imports cli/.
export { UserError } from './user-error.js';
export type { Diagnostic } from './manifest/diagnostics.js';
export { formatDiagnostic } from './manifest/diagnostics.js';
export type * from './manifest/types.js';
export type * from './sources/types.js';
export type * from './state/types.js';
export type * from './plan/types.js';
export { needsUpload, isChange } from './plan/types.js';
export type * from './graph/types.js';
export { VERSION } from './version.js';
