// Turns whatever an upload threw into the failure line the user sees: Graph's code, subcode,
// message and fbtrace_id when Meta answered; the cause otherwise.
import { GraphError } from '../graph/graph-error.js';
import { PageStoppedError } from './page-gate.js';
import type { ApplyFailure } from './types.js';

export function describeFailure(error: unknown): Omit<ApplyFailure, 'page' | 'name'> {
  if (error instanceof PageStoppedError) {
    return { message: `not attempted: the page's token was refused (${error.cause.message})` };
  }
  if (error instanceof GraphError) {
    return {
      message: error.isTokenError() ? `${error.message} — check the page access token in the page's token_env variable` : error.message,
      code: error.code,
      subcode: error.subcode,
      fbtraceId: error.fbtraceId,
    };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}
