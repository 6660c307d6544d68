// The catalogue of Graph errors the emulator answers, with Graph's body shape:
//   {"error": {"message", "type", "code", "error_subcode"?, "is_transient"?, "fbtrace_id"}}
// and the HTTP status Graph uses for each. Messages and subcodes follow Meta's documentation and
// what Graph is seen to answer; `error_subcode` is left out where Graph leaves it out.
import type { Random } from './random.js';

export interface GraphErrorSpec {
  status: number;
  code: number;
  subcode?: number;
  type: string;
  message: string;
  isTransient?: boolean;
}

function attachmentError(subcode: number, text: string): GraphErrorSpec {
  return { status: 400, code: 100, subcode, type: 'OAuthException', message: `(#100) ${text}` };
}

export const graphErrors = {
  missingToken: (): GraphErrorSpec => ({
    status: 400,
    code: 104,
    type: 'OAuthException',
    message: 'An access token is required to request this resource.',
  }),
  invalidToken: (): GraphErrorSpec => ({ status: 400, code: 190, type: 'OAuthException', message: 'Invalid OAuth access token.' }),
  /** Unknown node, another page's id, unknown edge or method: Graph's "unsupported request". */
  unsupported: (method: string, objectId: string): GraphErrorSpec => ({
    status: 400,
    code: 100,
    subcode: 33,
    type: 'GraphMethodException',
    message:
      `Unsupported ${method.toLowerCase()} request. Object with ID '${objectId}' does not exist, cannot be loaded due to ` +
      'missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api',
  }),
  rateLimited: (): GraphErrorSpec => ({
    status: 400,
    code: 80006,
    type: 'OAuthException',
    isTransient: true,
    message: '(#80006) There have been too many calls from this Page to the Messenger API. Wait a bit and try again.',
  }),
  transient: (code: 1 | 2): GraphErrorSpec =>
    code === 2
      ? { status: 500, code: 2, type: 'OAuthException', isTransient: true, message: 'An unexpected error has occurred. Please retry your request later.' }
      : { status: 500, code: 1, type: 'OAuthException', isTransient: true, message: 'An unknown error occurred' },
  missingParameter: (name: string): GraphErrorSpec => ({
    status: 400,
    code: 100,
    type: 'OAuthException',
    message: `(#100) The parameter ${name} is required`,
  }),
  invalidParameter: (text: string): GraphErrorSpec => ({ status: 400, code: 100, type: 'OAuthException', message: `(#100) ${text}` }),
  badType: (): GraphErrorSpec => ({
    status: 400,
    code: 100,
    type: 'OAuthException',
    message: '(#100) Param message[attachment][type] must be one of {AUDIO, FILE, IMAGE, VIDEO}',
  }),
  wrongFileCount: () => attachmentError(2018005, 'Incorrect number of files uploaded. Must upload exactly one file.'),
  fetchFailed: () => attachmentError(2018008, 'Failed to fetch the file from the url'),
  videoTimeout: () => attachmentError(2018294, 'Video upload timed out or video is corrupted'),
  uploadFailure: () => attachmentError(2018047, 'Upload attachment failure.'),
  tooLarge: () => attachmentError(2018109, 'Attachment size exceeds allowable limit'),
  notOwner: () => attachmentError(2018074, 'Possibly invalid ID, or you are not the owner of the attachment'),
};

const TRACE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** An opaque trace id like Graph's (`AbC3dEf_gHiJkLmNoPqRs-t`). */
export function makeTraceId(random: Random): string {
  let id = '';
  for (let i = 0; i < 23; i++) id += TRACE_ALPHABET[random.int(0, TRACE_ALPHABET.length - 1)];
  return id;
}

export function renderErrorBody(spec: GraphErrorSpec, fbtraceId: string): { error: Record<string, unknown> } {
  const error: Record<string, unknown> = { message: spec.message, type: spec.type, code: spec.code };
  if (spec.subcode !== undefined) error.error_subcode = spec.subcode;
  if (spec.isTransient) error.is_transient = true;
  error.fbtrace_id = fbtraceId;
  return { error };
}
