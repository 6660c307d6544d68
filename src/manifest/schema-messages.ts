// One ajv error → one human message, pointed at the right node: an unknown key at the key, a bad
// value at the value, a missing key at the mapping that lacks it. Expectations for patterns come from
// the schema's own `patternErrorMessage`, the same text editors show.
import type { ErrorObject } from 'ajv';
import { closestMatch } from '../closest-match.js';
import type { Anchor, PathSegment } from './yaml-positions.js';

export interface SchemaProblem {
  path: PathSegment[];
  anchor: Anchor;
  summary: string;
  detail?: string;
  /** For "needs exactly one of": the keys it wants (path, url, glob). */
  oneOfNames?: string[];
}

type Schema = Record<string, unknown>;

export function describeSchemaError(error: ErrorObject, root: unknown): SchemaProblem {
  const path = pathSegments(error.instancePath, root);
  const parent = (error.parentSchema ?? {}) as Schema;
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const known = Object.keys((parent.properties ?? {}) as Schema);
      const close = closestMatch(key, known);
      return {
        path: [...path, key],
        anchor: 'key',
        summary: `unknown key "${key}"`,
        detail: close ? `did you mean "${close}"?` : `allowed keys: ${known.join(', ')}`,
      };
    }
    case 'required': {
      const key = String(p.missingProperty);
      return { path, anchor: 'key', summary: `missing required key "${key}"`, detail: REQUIRED_HINTS[key] };
    }
    case 'type': {
      const expected = String(p.type);
      const quoted = expected === 'string' && (typeof error.data === 'number' || typeof error.data === 'boolean');
      return {
        path,
        anchor: 'value',
        summary: `must be ${typeName(expected)}, not ${describeValue(error.data)}`,
        detail: quoted ? `put it in quotes: "${String(error.data)}"` : undefined,
      };
    }
    case 'const':
      return { path, anchor: 'value', summary: `must be ${JSON.stringify(p.allowedValue)}, not ${JSON.stringify(error.data) ?? 'empty'}`, detail: path[0] === 'version' ? 'version 1 is the only manifest format there is' : undefined };
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map(String);
      const close = typeof error.data === 'string' ? closestMatch(error.data, allowed) : undefined;
      return { path, anchor: 'value', summary: `must be one of ${allowed.join(', ')}`, detail: close ? `did you mean "${close}"?` : undefined };
    }
    case 'pattern': {
      const expected = typeof parent.patternErrorMessage === 'string' ? parent.patternErrorMessage : `text matching ${String(p.pattern)}`;
      if (path[path.length - 1] === 'token_env') {
        // Whatever is there may be the token itself, pasted by mistake: never echo it.
        return { path, anchor: 'value', summary: `must be ${expected}`, detail: 'the token itself goes in that environment variable, never in the manifest' };
      }
      if (error.propertyName !== undefined) {
        return { path: [...path, error.propertyName], anchor: 'key', summary: `invalid name "${error.propertyName}": expected ${expected}` };
      }
      return { path, anchor: 'value', summary: `must be ${expected}, not ${JSON.stringify(error.data)}` };
    }
    case 'minProperties':
      return { path, anchor: 'value', summary: path.join('.') === 'pages' ? 'needs at least one page' : `needs at least ${String(p.limit)} entries` };
    case 'minItems':
      return { path, anchor: 'value', summary: `must list at least ${String(p.limit)}` };
    case 'minLength':
      return { path, anchor: 'value', summary: 'must not be empty' };
    case 'uniqueItems': {
      const list = error.data as unknown[];
      return { path: [...path, Number(p.i)], anchor: 'value', summary: `lists ${JSON.stringify(list[Number(p.i)])} twice` };
    }
    case 'oneOf':
      return describeExactlyOne(path, parent, error.data);
    case 'dependentRequired':
      return describeDependency(path, String(p.property), String(p.missingProperty));
    default:
      return { path, anchor: 'value', summary: error.message ?? `fails the schema's ${error.keyword} rule` };
  }
}

const REQUIRED_HINTS: Record<string, string> = {
  version: 'add `version: 1` at the top',
  pages: 'add `pages:` with at least one page (id and token_env)',
  assets: 'add `assets:` (it may be `assets: {}`)',
  id: 'the Page id, digits in quotes: id: "1234567890"',
  token_env: 'the name of the env var that holds the page access token, like MAIN_PAGE_TOKEN',
};

/** `oneOf: [{required: [path]}, {required: [url]}, {required: [glob]}]` → "needs exactly one of …". */
function describeExactlyOne(path: PathSegment[], parent: Schema, data: unknown): SchemaProblem {
  const branches = (parent.oneOf ?? []) as Schema[];
  const names = branches.map((b) => (Array.isArray(b.required) && b.required.length === 1 ? String(b.required[0]) : '')).filter(Boolean);
  if (names.length !== branches.length || !isObject(data)) {
    return { path, anchor: 'key', summary: 'must match exactly one of the allowed forms' };
  }
  const has = names.filter((n) => n in data);
  const list = `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
  if (has.length === 0) return { path, anchor: 'key', summary: `needs exactly one of ${list} (has none)`, oneOfNames: names };
  return {
    path: [...path, has[1]],
    anchor: 'key',
    summary: `needs exactly one of ${list} (has ${has.slice(0, -1).join(', ')} and ${has[has.length - 1]})`,
    detail: 'split it into separate assets, one per source',
  };
}

function describeDependency(path: PathSegment[], property: string, missing: string): SchemaProblem {
  if (missing === 'type') {
    return { path, anchor: 'key', summary: 'a url asset needs "type" (one of image, audio, video, file)', detail: 'the type cannot be inferred from a URL' };
  }
  if (property === 'name') {
    return { path: [...path, property], anchor: 'key', summary: '"name" is only for glob assets', detail: 'a path or url asset is named by its key' };
  }
  if (property === 'via') {
    return { path: [...path, property], anchor: 'key', summary: '"via" is only for url assets', detail: 'a local file is always uploaded as a file' };
  }
  return { path: [...path, property], anchor: 'key', summary: `"${property}" needs "${missing}"` };
}

function pathSegments(pointer: string, root: unknown): PathSegment[] {
  if (!pointer) return [];
  const out: PathSegment[] = [];
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment: PathSegment = Array.isArray(node) ? Number(key) : key;
    out.push(segment);
    node = isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined;
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(schemaType: string): string {
  const names: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a string', number: 'a number', integer: 'a whole number', boolean: 'true or false', null: 'empty' };
  return names[schemaType] ?? schemaType;
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'boolean') return `a boolean (${String(value)})`;
  return `a ${typeof value}`;
}
