// How the state is laid out in the key/value table (under keyv's `attachform:` namespace):
// `meta` → {lineage, serial}, `lock` → LockInfo, `record:<pageId>:<name>` → AssetRecord.
// Page ids are digits and asset names identifiers, so ':' cannot make two keys collide.
import type { AssetRecord, LockInfo } from './types.js';

export const META_KEY = 'meta';
export const LOCK_KEY = 'lock';
const RECORD_PREFIX = 'record:';

export interface StateMeta {
  lineage: string;
  serial: number;
}

export function recordKey(pageId: string, name: string): string {
  return `${RECORD_PREFIX}${pageId}:${name}`;
}

export function isRecordKey(key: string): boolean {
  return key.startsWith(RECORD_PREFIX);
}

/** Problems with a stored value, or [] when it has the shape of a record. */
export function checkRecord(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['not an object'];
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const field of ['name', 'page', 'pageId', 'type', 'contentType', 'via', 'sha256', 'attachmentId', 'uploadedAt', 'expiresAt']) {
    if (typeof record[field] !== 'string') problems.push(`${field} is not a string`);
  }
  if (typeof record.size !== 'number') problems.push('size is not a number');
  if (typeof record.source !== 'object' || record.source === null) problems.push('source is not an object');
  return problems;
}

export function isStateMeta(value: unknown): value is StateMeta {
  const meta = value as Partial<StateMeta> | null;
  return typeof meta === 'object' && meta !== null && typeof meta.lineage === 'string' && Number.isSafeInteger(meta.serial);
}

export function isLockInfo(value: unknown): value is LockInfo {
  const lock = value as Partial<LockInfo> | null;
  return (
    typeof lock === 'object' &&
    lock !== null &&
    typeof lock.id === 'string' &&
    typeof lock.operation === 'string' &&
    typeof lock.who === 'string' &&
    typeof lock.host === 'string' &&
    typeof lock.pid === 'number' &&
    typeof lock.since === 'string' &&
    typeof lock.renewedAt === 'string'
  );
}

/** A record as stored: exactly the typed fields, in a fixed order, so nothing else (a token) slips in. */
export function pickRecordFields(record: AssetRecord): AssetRecord {
  const picked: AssetRecord = {
    name: record.name,
    page: record.page,
    pageId: record.pageId,
    type: record.type,
    contentType: record.contentType,
    source: 'url' in record.source ? { url: record.source.url } : { path: record.source.path },
    via: record.via,
    sha256: record.sha256,
    size: record.size,
    attachmentId: record.attachmentId,
    uploadedAt: record.uploadedAt,
    expiresAt: record.expiresAt,
  };
  if (record.etag !== undefined) picked.etag = record.etag;
  if (record.lastModified !== undefined) picked.lastModified = record.lastModified;
  return picked;
}
