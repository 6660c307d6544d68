// `state import NAME ATTACHMENT_ID --page P`: adopt an id uploaded before attachform managed the
// asset. The record takes the asset's current source facts (its bytes are hashed now), the given
// upload time (or now) and expires ttl after it — so the next plan sees it unchanged, or due for
// refresh if it is old. Meta has no call to look an id up, so the id is taken on trust.
import { readSources } from '../../sources/read-sources.js';
import { sourceKey } from '../../sources/source-key.js';
import { viaOf } from '../../plan/decide-action.js';
import type { AssetRecord } from '../../state/types.js';
import { closestMatch } from '../../closest-match.js';
import { hasErrors } from '../../manifest/diagnostics.js';
import type { Asset } from '../../manifest/types.js';
import { UserError } from '../../user-error.js';
import { pageOption } from '../state-lookup.js';
import { withStateLock } from './state-edit.js';
import type { StateSubcommand } from './state.js';

export const stateImportCommand: StateSubcommand = {
  name: 'import',
  usage: 'import NAME ATTACHMENT_ID [--page P] [--uploaded-at ISO]',
  summary: 'adopt an attachment id uploaded before attachform',
  async run(args, deps) {
    if (args.positionals.length !== 2) throw new UserError('state import needs an asset name and an attachment id', { hint: 'attachform state import NAME ATTACHMENT_ID --page P [--uploaded-at ISO]' });
    const [name, attachmentId] = args.positionals;
    if (!/^\d+$/.test(attachmentId)) throw new UserError(`"${attachmentId}" is not an attachment id (a string of digits, as the upload answered)`);
    const page = pageOption(args.values.page);
    const uploadedAt = readUploadedAt(args.values['uploaded-at'], deps.now());
    return withStateLock(args, deps, 'state import', async (context) => {
      const asset = findAsset(context.assets, name, page, context.manifestPath);
      const existing = (await context.state.read()).records.find((r) => r.pageId === asset.pageId && r.name === asset.name);
      if (existing) {
        throw new UserError(`${asset.page}/${asset.name} is already in the state (attachment ${existing.attachmentId})`, { hint: `to replace it: \`attachform state rm ${asset.name} --page ${asset.page}\`, then import` });
      }
      const { facts, diagnostics } = await readSources([asset], { known: new Map(), manifestFile: context.manifestPath });
      const fact = facts.get(sourceKey(asset.source));
      if (hasErrors(diagnostics) || !fact) throw new UserError(`the source of ${asset.name} could not be read; nothing was imported`, { diagnostics: diagnostics.filter((d) => d.severity === 'error') });
      const record: AssetRecord = {
        name: asset.name,
        page: asset.page,
        pageId: asset.pageId,
        type: asset.type,
        contentType: asset.contentType,
        source: asset.source.kind === 'file' ? { path: asset.source.relPath } : { url: asset.source.url },
        via: viaOf(asset),
        sha256: fact.sha256,
        size: fact.size,
        attachmentId,
        uploadedAt: uploadedAt.toISOString(),
        expiresAt: new Date(uploadedAt.getTime() + context.manifest.defaults.ttlMs).toISOString(),
      };
      if (fact.etag) record.etag = fact.etag;
      if (fact.lastModified) record.lastModified = fact.lastModified;
      await context.state.putRecord(record);
      deps.stdout.write(`Imported ${asset.page}/${asset.name} as attachment ${attachmentId} (sha256 ${fact.sha256.slice(0, 8)}…, expires ${record.expiresAt}).\n`);
    });
  },
};

function findAsset(assets: Asset[], name: string, page: string | undefined, manifestPath: string): Asset {
  const named = assets.filter((a) => a.name === name);
  const matching = page === undefined ? named : named.filter((a) => a.page === page || a.pageId === page);
  if (matching.length === 1) return matching[0];
  if (matching.length > 1) throw new UserError(`"${name}" is declared on ${matching.length} pages (${matching.map((a) => a.page).join(', ')}); an id belongs to one`, { hint: `say which with --page ${matching[0].page}` });
  if (named.length > 0) throw new UserError(`"${name}" is not declared on page ${page} in ${manifestPath}; it is on ${named.map((a) => a.page).join(', ')}`);
  const suggestion = closestMatch(name, [...new Set(assets.map((a) => a.name))]);
  throw new UserError(`no asset "${name}" in ${manifestPath}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, { hint: 'declare it in the manifest first: the record takes its source from there' });
}

function readUploadedAt(value: unknown, now: Date): Date {
  if (value === undefined) return now;
  const at = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (typeof value !== 'string' || Number.isNaN(at) || !/^\d{4}-\d{2}-\d{2}/.test(value)) {
    throw new UserError(`--uploaded-at must be an ISO 8601 time like 2026-01-31T12:00:00Z, not ${JSON.stringify(value)}`);
  }
  if (at > now.getTime()) throw new UserError(`--uploaded-at ${value} is in the future`);
  return new Date(at);
}
