// undici's Agent and its request API, without the rest of undici. `import 'undici'` evaluates all of
// it — fetch, WebSocket, the cache stores, and through them Node's own bundled copy of undici — which
// measured ~65 ms of every apply's start-up here, against ~25 ms for these two parts (BENCHMARKS.md).
// undici has no "exports" map, so its files can be imported; the lockfile pins the version, and the
// graph client's and URL sources' tests fail if a file moves.
import Agent from 'undici/lib/dispatcher/agent.js';
import apiRequest from 'undici/lib/api/api-request.js';
import type { Dispatcher } from 'undici';

export { Agent };

export type RequestOptions = Omit<Dispatcher.RequestOptions, 'origin' | 'path' | 'method'> & { method: Dispatcher.HttpMethod };

/** undici's `request(url, { dispatcher, … })`, made through `agent`. */
export function sendRequest(agent: Dispatcher, url: string | URL, options: RequestOptions): Promise<Dispatcher.ResponseData> {
  const { origin, pathname, search } = new URL(url);
  return apiRequest.call(agent, { ...options, origin, path: `${pathname}${search}` });
}
