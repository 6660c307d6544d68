// The validator compiled at build time (scripts/compile-schema.js) is the schema file as it is now,
// and judges documents exactly as ajv compiling that file at run time with the same options
// (schema-compiler.ts) would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { schemaSha256, validate } from '../../src/manifest/compiled/assets-schema.js';
import { createSchemaCompiler, SCHEMA_URL } from '../../src/manifest/schema-compiler.js';
import { repoRoot } from '../helpers/paths.js';

const schemaText = readFileSync(SCHEMA_URL, 'utf8');

test('the compiled validator was built from the current schema/assets.schema.json', () => {
  assert.equal(schemaSha256, createHash('sha256').update(schemaText).digest('hex'), 'run `npm run build` after editing the schema');
});

test('the compiled validator reports the same errors as the schema compiled at run time', () => {
  const fresh = createSchemaCompiler().compile(JSON.parse(schemaText) as object);
  const manifest = parse(readFileSync(join(repoRoot, 'assets.yaml'), 'utf8')) as Record<string, unknown>;
  const documents: unknown[] = [
    manifest,
    { ...manifest, version: 2 },
    { ...manifest, pages: { main: { id: 'not-digits', token_env: 'lower case' } } },
    { ...manifest, assets: { logo: { path: 'a.png', type: 'picture', extra: true } } },
    { ...manifest, assets: { logo: { path: 'a.png', url: 'https://example.com/a.png', type: 'image' } } },
    { ...manifest, defaults: { refresh_before: 12 } },
    [],
    'version: 1',
  ];
  let invalid = 0;
  for (const document of documents) {
    const ok = validate(document);
    assert.equal(ok, fresh(document), JSON.stringify(document).slice(0, 80));
    if (!ok) invalid++;
    assert.deepEqual(validate.errors ?? null, fresh.errors ?? null, JSON.stringify(document).slice(0, 80));
  }
  assert.equal(invalid, documents.length - 1, 'only the repository manifest is valid');
});
