// The checks of /message_attachments and /messages after the token, node and rate limit have
// passed, in Graph's order: the message and its attachment type, exactly one file part or a URL
// (2018005; 2018008 when the fetch fails, 2018294 for a video fetch that times out), the size
// (2018109), the content type against the type (2018047); then the attachment is stored. On
// /messages, `payload.attachment_id` sends a stored attachment instead (2018074 when not sendable).
import type { Answer } from './answer.js';
import { errorAnswer } from './answer.js';
import { contentTypeFits, isAttachmentType, type AttachmentType } from './attachment-store.js';
import { MAX_FILE_BYTES, MAX_URL_IMAGE_BYTES } from './config.js';
import type { EmulatorContext } from './context.js';
import { graphErrors } from './graph-errors.js';
import { readObjectParam, type GraphBody } from './request-body.js';
import type { LoggedRequest } from './request-log.js';
import { fetchAttachment } from './url-fetch.js';

export type EdgeFacts = Pick<LoggedRequest, 'type' | 'url' | 'file' | 'recipientId'>;

interface Upload {
  sha256: string;
  size: number;
  contentType: string;
  source: 'url' | 'file';
}

export async function checkEdgeCall(
  ctx: EmulatorContext,
  edge: 'message_attachments' | 'messages',
  pageId: string,
  body: GraphBody,
  facts: EdgeFacts,
): Promise<Answer> {
  const fail = (spec: Parameters<typeof errorAnswer>[1]) => errorAnswer(ctx, spec);
  let recipientId: string | undefined;
  if (edge === 'messages') {
    const recipient = readObjectParam(body.params.recipient);
    if (recipient === undefined) return fail(graphErrors.missingParameter('recipient'));
    if (recipient === 'invalid' || (typeof recipient.id !== 'string' && typeof recipient.id !== 'number')) {
      return fail(graphErrors.invalidParameter('param recipient must be an object with an id'));
    }
    recipientId = String(recipient.id);
    facts.recipientId = recipientId;
  }
  const message = readObjectParam(body.params.message);
  if (message === undefined) return fail(graphErrors.missingParameter('message'));
  if (message === 'invalid') return fail(graphErrors.invalidParameter('param message must be a JSON object'));
  const attachment = readObjectParam(message.attachment);
  if (attachment === undefined && edge === 'messages' && typeof message.text === 'string' && body.files.length === 0) {
    return { status: 200, body: { recipient_id: recipientId, message_id: makeMessageId(ctx) } };
  }
  if (attachment === undefined || attachment === 'invalid') return fail(graphErrors.missingParameter('message[attachment]'));
  if (!isAttachmentType(attachment.type)) return fail(graphErrors.badType());
  const type: AttachmentType = attachment.type;
  facts.type = type;
  const payload = readObjectParam(attachment.payload);
  const fields = payload === 'invalid' || payload === undefined ? {} : payload;
  const url = typeof fields.url === 'string' && fields.url !== '' ? fields.url : undefined;
  const attachmentId = fields.attachment_id === undefined ? undefined : String(fields.attachment_id);
  facts.url = url;
  const file = body.files.length === 1 ? body.files[0] : undefined;
  if (file) facts.file = { filename: file.filename, contentType: file.contentType, size: file.size, sha256: file.sha256 };

  if (edge === 'messages' && attachmentId !== undefined && url === undefined && body.files.length === 0) {
    const stored = ctx.store.findSendable(attachmentId, pageId, ctx.clock.now());
    if (!stored) return fail(graphErrors.notOwner());
    return { status: 200, body: { recipient_id: recipientId, message_id: makeMessageId(ctx) } };
  }
  const sources = (url ? 1 : 0) + body.files.length;
  if (sources !== 1 || (file && file.fieldName !== 'filedata')) return fail(graphErrors.wrongFileCount());

  let upload: Upload;
  if (url) {
    const outcome = await fetchAttachment(
      url,
      {
        timeoutMs: type === 'video' ? ctx.config.videoFetchTimeoutMs : ctx.config.fetchTimeoutMs,
        maxBytes: type === 'image' ? MAX_URL_IMAGE_BYTES : MAX_FILE_BYTES,
      },
      ctx.fetchDispatcher,
    );
    if (!outcome.ok) {
      if (outcome.reason === 'too-large') return fail(graphErrors.tooLarge());
      if (outcome.reason === 'timeout' && type === 'video') return fail(graphErrors.videoTimeout());
      return fail(graphErrors.fetchFailed());
    }
    upload = { sha256: outcome.sha256, size: outcome.size, contentType: outcome.contentType, source: 'url' };
  } else {
    const part = file!;
    if (part.truncated || part.size > MAX_FILE_BYTES) return fail(graphErrors.tooLarge());
    upload = { sha256: part.sha256, size: part.size, contentType: part.contentType.toLowerCase(), source: 'file' };
  }
  if (!contentTypeFits(type, upload.contentType)) return fail(graphErrors.uploadFailure());

  const reusable = fields.is_reusable === true || fields.is_reusable === 'true';
  const stored = ctx.store.add({ pageId, type, reusable, ...upload }, ctx.clock.now());
  if (edge === 'messages') {
    return { status: 200, body: { recipient_id: recipientId, message_id: makeMessageId(ctx), attachment_id: stored.id } };
  }
  return { status: 200, body: { attachment_id: stored.id } };
}

const MESSAGE_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

function makeMessageId(ctx: EmulatorContext): string {
  let id = 'm_';
  for (let i = 0; i < 86; i++) id += MESSAGE_ID_ALPHABET[ctx.randoms.ids.int(0, MESSAGE_ID_ALPHABET.length - 1)];
  return id;
}
