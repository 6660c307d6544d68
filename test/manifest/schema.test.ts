// schema/assets.schema.json is the one source of truth for the shape, and what editors show: every
// object closed (additionalProperties false or a schema), every property described.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths.js';

type Schema = Record<string, unknown>;
const schema = JSON.parse(readFileSync(join(repoRoot, 'schema', 'assets.schema.json'), 'utf8')) as Schema;

function walk(node: unknown, where: string, visit: (s: Schema, where: string) => void): void {
  if (typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${where}/${i}`, visit));
  visit(node as Schema, where);
  for (const [k, v] of Object.entries(node)) if (k !== 'enum' && k !== 'const') walk(v, `${where}/${k}`, visit);
}

test('the schema is JSON Schema 2020-12', () => {
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.deepEqual(schema.required, ['version', 'pages', 'assets']);
});

test('every object in the schema is closed and every property has a description', () => {
  const problems: string[] = [];
  walk(schema, '#', (s, where) => {
    if (s.type === 'object' && s.additionalProperties === undefined) problems.push(`${where}: no additionalProperties`);
    if (s.additionalProperties === true) problems.push(`${where}: additionalProperties true`);
    for (const [name, prop] of Object.entries((s.properties ?? {}) as Record<string, Schema>)) {
      if (typeof prop.description !== 'string' || prop.description === '') problems.push(`${where}/properties/${name}: no description`);
    }
    if (typeof s.pattern === 'string' && typeof s.patternErrorMessage !== 'string') problems.push(`${where}: a pattern without patternErrorMessage`);
  });
  assert.deepEqual(problems, []);
});
