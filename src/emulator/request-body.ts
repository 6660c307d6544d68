// Reads a Graph call's body in whatever form it came — JSON, urlencoded or multipart — into one
// shape, and finds the access token (query, body field, or `Authorization: Bearer`, in that order).
import type { IncomingMessage } from 'node:http';
import { readMultipart, type FilePart } from './multipart-intake.js';
import { readLimited } from './read-limited.js';

export type BodyForm = 'json' | 'multipart' | 'urlencoded' | 'none';

export interface GraphBody {
  form: BodyForm;
  /** Top-level parameters; values are as sent (objects from JSON, strings from forms). */
  params: Record<string, unknown>;
  files: FilePart[];
}

/** JSON and urlencoded bodies carry parameters only; more than this is refused. */
const MAX_PARAMS_BYTES = 1024 * 1024;

export class BodyError extends Error {}

export async function readGraphBody(req: IncomingMessage, maxFileBytes: number): Promise<GraphBody> {
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  if (contentType.startsWith('multipart/form-data')) {
    try {
      const { fields, files } = await readMultipart(req, maxFileBytes);
      return { form: 'multipart', params: fields, files };
    } catch (error) {
      throw new BodyError(`could not parse the multipart body: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const text = await readText(req);
  if (text.trim() === '') return { form: 'none', params: {}, files: [] };
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    return { form: 'urlencoded', params: Object.fromEntries(new URLSearchParams(text)), files: [] };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BodyError('the request body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new BodyError('the request body must be a JSON object');
  }
  return { form: 'json', params: parsed as Record<string, unknown>, files: [] };
}

async function readText(req: IncomingMessage): Promise<string> {
  const bytes = await readLimited(req, MAX_PARAMS_BYTES);
  if (bytes === undefined) throw new BodyError('the request body is too large');
  return bytes.toString('utf8');
}

export type TokenSource = 'query' | 'body' | 'header' | 'none';

export function findToken(query: URLSearchParams, body: GraphBody, authorization: string | undefined): { token?: string; source: TokenSource } {
  const fromQuery = query.get('access_token');
  if (fromQuery) return { token: fromQuery, source: 'query' };
  const fromBody = body.params.access_token;
  if (typeof fromBody === 'string' && fromBody !== '') return { token: fromBody, source: 'body' };
  const bearer = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (bearer) return { token: bearer, source: 'header' };
  return { source: 'none' };
}

/** A parameter that may arrive as an object (JSON body) or as a JSON string (form field). */
export function readObjectParam(value: unknown): Record<string, unknown> | undefined | 'invalid' {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') {
    try {
      const parsed: unknown = JSON.parse(value);
      return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : 'invalid';
    } catch {
      return 'invalid';
    }
  }
  return typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : 'invalid';
}
