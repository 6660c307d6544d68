// Plan files (`plan --out FILE`, `apply FILE`, `show FILE`): the plan document written atomically
// (temp file in the same folder, fsync, rename) and read back checked against schema/plan.schema.json,
// so a truncated, hand-edited or foreign file is a clear UserError, never a half-applied plan.
// A plan file holds no token: the Plan type has no place for one, and the schema forbids extra keys.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../write-file-atomic.js';
import { PACKAGE_ROOT } from '../package-root.js';
import type { ValidateFunction } from 'ajv';
import { UserError } from '../user-error.js';
import type { Plan } from './types.js';

export const PLAN_SCHEMA_URL = new URL('schema/plan.schema.json', PACKAGE_ROOT);

let compiled: ValidateFunction | undefined;

/** ajv is loaded only to read a plan file (`apply FILE`, `show FILE`): `plan --out` does not pay for it. */
async function planValidator(): Promise<ValidateFunction> {
  if (!compiled) {
    const { default: ajv2020 } = await import('ajv/dist/2020.js');
    const ajv = new ajv2020.default({ allErrors: false, strict: true });
    compiled = ajv.compile(JSON.parse(readFileSync(PLAN_SCHEMA_URL, 'utf8')) as object);
  }
  return compiled;
}

export async function writePlanFile(path: string, plan: Plan): Promise<void> {
  try {
    await writeFileAtomic(path, `${JSON.stringify(plan, null, 2)}\n`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UserError(`cannot write the plan file ${path} (${code})`, { hint: 'check that its folder exists and is writable' });
  }
}

/** `shownAs`: the path as the user gave it, for messages. */
export async function readPlanFile(path: string, shownAs = path): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `no such plan file: ${shownAs}` : `cannot read the plan file ${shownAs} (${code ?? String(error)})`, {
      hint: 'make one with `attachform plan --out FILE`',
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw notAPlan(shownAs, 'it is not JSON');
  }
  const version = (data as { format_version?: unknown } | null)?.format_version;
  if (typeof data === 'object' && data !== null && version !== undefined && version !== 1) {
    throw notAPlan(shownAs, `its format_version is ${JSON.stringify(version)}; this attachform reads format_version 1`);
  }
  const validate = await planValidator();
  if (!validate(data)) {
    const first = validate.errors?.[0];
    const where = first?.instancePath ? `${first.instancePath.slice(1).replaceAll('/', '.')} ` : '';
    throw notAPlan(shownAs, `${where}${first?.message ?? 'does not match schema/plan.schema.json'}`);
  }
  return data as Plan;
}

function notAPlan(path: string, why: string): UserError {
  return new UserError(`${path} is not an attachform plan file: ${why}`, { hint: 'make a plan file with `attachform plan --out FILE` and use it unedited' });
}
