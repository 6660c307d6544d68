// Validators for schema/plan.schema.json: the plan document and one apply --json event line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ajv2020 from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { repoRoot } from './paths.js';

const schema = JSON.parse(readFileSync(join(repoRoot, 'schema', 'plan.schema.json'), 'utf8')) as { $id: string };
const ajv = new ajv2020.default({ allErrors: true, strict: true });
ajv.addSchema(schema);

export const validatePlan = ajv.getSchema(schema.$id) as ValidateFunction;
export const validateApplyEvent = ajv.getSchema(`${schema.$id}#/$defs/apply_event`) as ValidateFunction;

/** Asserts-friendly: the errors of `validate` on `data`, as one string ('' when valid). */
export function schemaErrors(validate: ValidateFunction, data: unknown): string {
  return validate(data) ? '' : ajv.errorsText(validate.errors, { separator: '\n' });
}

export const validateStateList = ajv.getSchema(`${schema.$id}#/$defs/state_list`) as ValidateFunction;
export const validateStateRecord = ajv.getSchema(`${schema.$id}#/$defs/state_record`) as ValidateFunction;
