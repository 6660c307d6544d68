// How the manifest's JSON Schema is compiled, in one place for the two that compile it:
// scripts/compile-schema.js at build time (into the standalone validator validate-schema.ts runs)
// and the test that checks that validator against a fresh compile. Nothing at run time imports
// this file, so ajv's compiler is never loaded by a command.
import ajv2020 from 'ajv/dist/2020.js';
import type { Options } from 'ajv';
import { PACKAGE_ROOT } from '../package-root.js';

/** schema/assets.schema.json: the one source of truth for the manifest's shape, also used by editors. */
export const SCHEMA_URL = new URL('schema/assets.schema.json', PACKAGE_ROOT);

/** An ajv for the manifest schema: every error, with the failing schema and data (for messages). */
export function createSchemaCompiler(extra: Options = {}): InstanceType<typeof ajv2020.default> {
  // ajv is CommonJS: under NodeNext its default import is the module, and the class is `.default`.
  const ajv = new ajv2020.default({ allErrors: true, verbose: true, strict: true, strictRequired: false, ...extra });
  // Editors (vscode-json-languageservice, yaml-language-server) show this for a failed pattern; so do we.
  ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
  return ajv;
}
