// Records as `state list` and `state show` print them: a table, one record's fields, or JSON
// (snake_case, format_version 1, as $defs.state_list of schema/plan.schema.json describes).
import type { AssetRecord, StateSnapshot } from '../../state/types.js';

export function recordJson(record: AssetRecord): Record<string, unknown> {
  const json: Record<string, unknown> = {
    page: record.page,
    page_id: record.pageId,
    name: record.name,
    type: record.type,
    content_type: record.contentType,
    source: record.source,
    via: record.via,
    sha256: record.sha256,
    size: record.size,
    attachment_id: record.attachmentId,
    uploaded_at: record.uploadedAt,
    expires_at: record.expiresAt,
  };
  if (record.etag !== undefined) json.etag = record.etag;
  if (record.lastModified !== undefined) json.last_modified = record.lastModified;
  return json;
}

export function stateListJson(snapshot: StateSnapshot, stateUrl: string): Record<string, unknown> {
  return { format_version: 1, state: stateUrl, state_lineage: snapshot.lineage, state_serial: snapshot.serial, records: sortRecords(snapshot.records).map(recordJson) };
}

export function renderStateList(snapshot: StateSnapshot, stateUrl: string, now: Date): string {
  const records = sortRecords(snapshot.records);
  const head = `State ${stateUrl} (serial ${snapshot.serial}): ${records.length} record${records.length === 1 ? '' : 's'}.`;
  if (records.length === 0) return `${head}\n`;
  const rows = records.map((r) => [`${r.page}/${r.name}`, r.type, r.attachmentId, expiry(r, now), 'path' in r.source ? r.source.path : r.source.url]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i].length)));
  const lines = rows.map((row) => row.map((cell, i) => (i < 4 ? cell.padEnd(widths[i]) : cell)).join('  ').trimEnd());
  return `${head}\n\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
}

export function renderRecord(record: AssetRecord, now: Date): string {
  const fields: Array<[string, string]> = [
    ['page', `${record.page} (id ${record.pageId})`],
    ['name', record.name],
    ['attachment_id', record.attachmentId],
    ['type', `${record.type} (${record.contentType})`],
    ['source', 'path' in record.source ? record.source.path : `${record.source.url} (via ${record.via})`],
    ['sha256', record.sha256],
    ['size', `${record.size} bytes`],
    ['uploaded_at', record.uploadedAt],
    ['expires_at', `${record.expiresAt} (${expiry(record, now)})`],
  ];
  if (record.etag) fields.push(['etag', record.etag]);
  if (record.lastModified) fields.push(['last_modified', record.lastModified]);
  return `${fields.map(([k, v]) => `${k.padEnd(14)}${v}`).join('\n')}\n`;
}

function expiry(record: AssetRecord, now: Date): string {
  const days = (Date.parse(record.expiresAt) - now.getTime()) / 86_400_000;
  return days <= 0 ? 'expired' : `expires in ${Math.floor(days)}d`;
}

function sortRecords(records: AssetRecord[]): AssetRecord[] {
  return [...records].sort((a, b) => (a.page < b.page ? -1 : a.page > b.page ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
