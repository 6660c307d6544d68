// Checks the manifest's shape against schema/assets.schema.json (the one source of truth, also used
// by editors) with ajv, and turns ajv's errors into one human line per real problem. The schema is
// compiled at build time (scripts/compile-schema.js, with schema-compiler.ts's options), which
// saves each run ~100 ms of loading ajv's compiler and compiling.
import type { ErrorObject } from 'ajv';
import { validate } from './compiled/assets-schema.js';
import { describeSchemaError, type SchemaProblem } from './schema-messages.js';

/** Every shape problem of `data`, one per real problem (ajv's oneOf fan-out folded away). */
export function validateSchema(data: unknown): SchemaProblem[] {
  if (validate(data)) return [];
  const errors = (validate.errors ?? []) as ErrorObject[];
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  const typeErrorAt = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  for (const error of errors) {
    if (isOneOfBranchError(error)) continue;
    if (error.keyword === 'propertyNames') continue; // its inner pattern error says it better
    // A value of the wrong type fails other keywords too (pattern, enum…): the type is the problem.
    if (error.keyword !== 'type' && typeErrorAt.has(error.instancePath)) continue;
    const problem = describeSchemaError(error, data);
    const key = `${problem.path.join('\u0000')}\u0001${problem.summary}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems.filter((p) => !isExplainedByTypo(p, problems));
}

/** "needs exactly one of path, url or glob (has none)" adds nothing when an unknown key is a typo of one. */
function isExplainedByTypo(problem: SchemaProblem, all: SchemaProblem[]): boolean {
  const names = problem.oneOfNames;
  if (!names) return false;
  const prefix = problem.path.join('\u0000');
  return all.some((other) => {
    const close = /^did you mean "(.*)"\?$/.exec(other.detail ?? '')?.[1];
    return close !== undefined && names.includes(close) && other.path.slice(0, -1).join('\u0000') === prefix;
  });
}

/** The `required` errors of each branch of a oneOf; the oneOf error itself says it all. */
function isOneOfBranchError(error: ErrorObject): boolean {
  return /\/oneOf\/\d+\//.test(error.schemaPath);
}
