// The emulator's attachments, in memory: what each upload stored and the rules for sending one by id
// (private to its page, reusable only when uploaded with is_reusable, valid 90 days).
import type { Random } from './random.js';

export type AttachmentType = 'image' | 'audio' | 'video' | 'file';

export const ATTACHMENT_TYPES: readonly AttachmentType[] = ['image', 'audio', 'video', 'file'];

/** Lifetime of an uploaded id. */
export const ATTACHMENT_TTL_MS = 90 * 86_400_000;

export interface StoredAttachment {
  id: string;
  pageId: string;
  type: AttachmentType;
  sha256: string;
  size: number;
  contentType: string;
  reusable: boolean;
  /** `url` or `file`. */
  source: 'url' | 'file';
  createdAt: Date;
  expiresAt: Date;
}

export type NewAttachment = Omit<StoredAttachment, 'id' | 'createdAt' | 'expiresAt'>;

export interface AttachmentStore {
  add(fields: NewAttachment, now: Date): StoredAttachment;
  /** The attachment a page may send now, or undefined (unknown, another page's, expired, not reusable). */
  findSendable(id: string, pageId: string, now: Date): StoredAttachment | undefined;
  list(): StoredAttachment[];
  clear(): void;
}

export function createAttachmentStore(random: () => Random): AttachmentStore {
  const byId = new Map<string, StoredAttachment>();

  function makeId(): string {
    for (;;) {
      // Graph's ids are 15–16 digit strings with no leading zero.
      const rng = random();
      const length = rng.int(15, 16);
      let id = String(rng.int(1, 9));
      while (id.length < length) id += String(rng.int(0, 9));
      if (!byId.has(id)) return id;
    }
  }

  return {
    add(fields, now) {
      const record: StoredAttachment = {
        ...fields,
        id: makeId(),
        createdAt: now,
        expiresAt: new Date(now.getTime() + ATTACHMENT_TTL_MS),
      };
      byId.set(record.id, record);
      return record;
    },
    findSendable(id, pageId, now) {
      const record = byId.get(id);
      if (!record || record.pageId !== pageId || !record.reusable) return undefined;
      return now.getTime() < record.expiresAt.getTime() ? record : undefined;
    },
    list: () => [...byId.values()],
    clear: () => byId.clear(),
  };
}

export function isAttachmentType(value: unknown): value is AttachmentType {
  return typeof value === 'string' && (ATTACHMENT_TYPES as readonly string[]).includes(value);
}

/** Whether a content type fits the attachment type: audio/*, image/*, video/*; a file takes anything. */
export function contentTypeFits(type: AttachmentType, contentType: string): boolean {
  if (type === 'file') return true;
  return contentType.toLowerCase().startsWith(`${type}/`);
}
