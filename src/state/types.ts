// Types of the state stage. A record never holds a token.
import type { AssetType, Via } from '../manifest/types.js';

/** One uploaded attachment: one per (page id, asset name). */
export interface AssetRecord {
  name: string;
  /** Page key in the manifest. */
  page: string;
  pageId: string;
  type: AssetType;
  contentType: string;
  /** `path` is relative to the manifest's folder. */
  source: { path: string } | { url: string };
  via: Via;
  sha256: string;
  size: number;
  attachmentId: string;
  /** ISO 8601. */
  uploadedAt: string;
  /** ISO 8601: uploadedAt + ttl. */
  expiresAt: string;
  /** HTTP validators of a URL source at upload time, for conditional re-fetches. */
  etag?: string;
  lastModified?: string;
}

export interface StateSnapshot {
  /** Random id made when the state is first written; '' for a state never written. */
  lineage: string;
  /** Increases with every write; 0 for a state never written. */
  serial: number;
  records: AssetRecord[];
}

export interface LockInfo {
  id: string;
  /** What holds it: `apply`, `state rm`… */
  operation: string;
  who: string;
  host: string;
  pid: number;
  /** ISO 8601. */
  since: string;
  /** ISO 8601; the holder renews it while it works. */
  renewedAt: string;
}

export interface LockOptions {
  operation: string;
  /** How long to wait for a held lock before failing; 0 fails at once. */
  timeoutMs: number;
  /** A lock not renewed for this long is abandoned and taken over. */
  staleAfterMs?: number;
  /** Called once when a lock is taken over from an abandoned holder. */
  onTakeover?: (previous: LockInfo) => void;
  /** Called once when the lock is held by someone else and we start waiting for it (timeoutMs > 0). */
  onWait?: (holder: LockInfo) => void;
}

export interface HeldLock {
  info: LockInfo;
  /** False once the lock was broken (force-unlock) or taken over: its holder must stop working. */
  stillHeld(): Promise<boolean>;
  release(): Promise<void>;
}

export interface StateStore {
  /** The state URL with any password removed, for display. */
  readonly displayUrl: string;
  /** The whole state in one batch. */
  read(): Promise<StateSnapshot>;
  /** Writes (inserts or replaces) one record and bumps the serial; all-or-nothing. Returns the new serial. */
  putRecord(record: AssetRecord): Promise<number>;
  /** Removes one record and bumps the serial. Returns the new serial. */
  removeRecord(pageId: string, name: string): Promise<number>;
  /** Takes the lock or throws a LockHeldError naming the holder. */
  acquireLock(options: LockOptions): Promise<HeldLock>;
  /** Breaks a lock by id; throws UserError when the id is not the current lock's. */
  forceUnlock(lockId: string): Promise<void>;
  close(): Promise<void>;
}
