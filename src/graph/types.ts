// Types of the Graph API client. Tokens are passed per call and never kept, logged or put in a URL:
// they travel in the request body (`access_token` field), so no error that quotes a URL can leak one.
import type { AssetType } from '../manifest/types.js';

export interface GraphClientOptions {
  /** Origin of the Graph API, `https://graph.facebook.com` or an emulator's URL. */
  graphUrl: string;
  /** `v21.0`. */
  apiVersion: string;
  /** Per-request timeout (headers and body), default 120 s. */
  timeoutMs?: number;
}

export interface UploadFromUrlRequest {
  pageId: string;
  token: string;
  type: AssetType;
  url: string;
}

export interface UploadFileRequest {
  pageId: string;
  token: string;
  type: AssetType;
  /** Absolute path of the file; streamed, never read whole into memory. */
  path: string;
  contentType: string;
  /** File name sent in the multipart part (default: the path's basename). */
  fileName?: string;
}

export interface UploadResult {
  attachmentId: string;
}

export interface FileUploadResult extends UploadResult {
  /** SHA-256 and size of the bytes actually sent, computed in the same pass as the upload. */
  sha256: string;
  size: number;
}

export interface SendAttachmentRequest {
  pageId: string;
  token: string;
  /** The recipient's page-scoped id (PSID). */
  recipientId: string;
  type: AssetType;
  attachmentId: string;
}

export interface SendResult {
  recipientId: string;
  messageId: string;
}

export interface GraphClient {
  uploadFromUrl(request: UploadFromUrlRequest): Promise<UploadResult>;
  uploadFile(request: UploadFileRequest): Promise<FileUploadResult>;
  /** Sends a saved attachment to a recipient (`payload.attachment_id` on /messages). */
  sendAttachment(request: SendAttachmentRequest): Promise<SendResult>;
  close(): Promise<void>;
}
