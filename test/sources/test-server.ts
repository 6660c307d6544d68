// A real HTTP server on 127.0.0.1 (port 0) for the fetch tests: routes are plain handlers, and it
// records every request and every TCP connection it saw. Closed when the test ends.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

export interface TestServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  port: number;
  requests: SeenRequest[];
  /** TCP connections accepted, whether or not a request followed. */
  connections: number;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, server: TestServer) => void;

export async function startServer(t: TestContext, handler: Handler): Promise<TestServer> {
  const state: TestServer = { origin: '', port: 0, requests: [], connections: 0 };
  const server = createServer((req, res) => {
    state.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    handler(req, res, state);
  });
  server.on('connection', () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.origin = `http://127.0.0.1:${state.port}`;
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return state;
}
