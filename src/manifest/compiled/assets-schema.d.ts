// Types of dist/src/manifest/compiled/assets-schema.js, which scripts/compile-schema.js writes at
// build time from schema/assets.schema.json.
import type { ValidateFunction } from 'ajv';

/** SHA-256 (hex) of the schema file the validator was compiled from. */
export declare const schemaSha256: string;
export declare const validate: ValidateFunction;
export default validate;
