// Attachment type and content type from a file name or extension (SPEC §2): the Send API's four
// types, and the media type sent with the bytes (an `audio` upload must carry an audio/* type).
import type { AssetType } from './types.js';

const CONTENT_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  wav: 'audio/wav',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  m4v: 'video/x-m4v',
  webm: 'video/webm',
  pdf: 'application/pdf',
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  zip: 'application/zip',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

const TYPES: Record<string, AssetType> = {
  png: 'image', jpg: 'image', jpeg: 'image', gif: 'image', webp: 'image',
  mp3: 'audio', m4a: 'audio', aac: 'audio', ogg: 'audio', oga: 'audio', wav: 'audio',
  mp4: 'video', mov: 'video', m4v: 'video', webm: 'video',
};

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/** The lowercase extension without its dot: `a/b.PNG` → `png`, `.png` → `png`, `png` → `png`, `README` → ''. */
export function extensionOf(fileNameOrExt: string): string {
  const base = fileNameOrExt.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  if (dot === -1) return /^[A-Za-z0-9]+$/.test(base) && base.toLowerCase() in CONTENT_TYPES ? base.toLowerCase() : '';
  return base.slice(dot + 1).toLowerCase();
}

export function inferType(fileNameOrExt: string): AssetType {
  return TYPES[extensionOf(fileNameOrExt)] ?? 'file';
}

export function inferContentType(fileNameOrExt: string): string {
  return CONTENT_TYPES[extensionOf(fileNameOrExt)] ?? DEFAULT_CONTENT_TYPE;
}

/** Whether a content type suits an attachment type: image/audio/video need their own family; file takes any. */
export function contentTypeFits(type: AssetType, contentType: string): boolean {
  return type === 'file' || contentType.toLowerCase().startsWith(`${type}/`);
}
