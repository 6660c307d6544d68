import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { checkHop, fetchUrl, resolveLimits } from '../../src/sources/fetch-url.js';
import { SourceError, type SourceErrorReason } from '../../src/sources/source-error.js';
import { startServer } from './test-server.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function isSourceError(reason: SourceErrorReason, message?: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof SourceError, `expected a SourceError, got ${String(error)}`);
    assert.equal(error.reason, reason, error.message);
    if (message) assert.match(error.message, message);
    return true;
  };
}

test('a 200 with an ETag is hashed; the next fetch sends If-None-Match and a 304 is unchanged', async (t) => {
  const body = randomBytes(50_000);
  const server = await startServer(t, (req, res) => {
    if (req.headers['if-none-match'] === '"v1"') return res.writeHead(304, { etag: '"v1"' }).end();
    res.writeHead(200, { etag: '"v1"', 'content-type': 'image/png' }).end(body);
  });
  const url = `${server.origin}/welcome.png`;
  const first = await fetchUrl(url, { allowPrivate: true });
  assert.equal(first.status, 'fetched');
  assert.deepEqual(first.facts, { sha256: sha256(body), size: body.length, contentType: 'image/png', etag: '"v1"' });
  assert.equal(server.requests[0].headers['if-none-match'], undefined);

  const second = await fetchUrl(url, { allowPrivate: true, known: first.facts });
  assert.equal(second.status, 'unchanged');
  assert.equal(server.requests[1].headers['if-none-match'], '"v1"');
  assert.equal(second.facts.sha256, sha256(body));
  assert.equal(second.facts.size, body.length);
  assert.equal(second.facts.etag, '"v1"');
});

test('Last-Modified is sent back as If-Modified-Since and a 304 is unchanged', async (t) => {
  const body = Buffer.from('jingle bytes');
  const lastModified = 'Wed, 21 Oct 2015 07:28:00 GMT';
  const server = await startServer(t, (req, res) => {
    if (req.headers['if-modified-since'] === lastModified) return res.writeHead(304).end();
    res.writeHead(200, { 'last-modified': lastModified }).end(body);
  });
  const url = `${server.origin}/jingle.mp3`;
  const first = await fetchUrl(url, { allowPrivate: true });
  assert.equal(first.status, 'fetched');
  assert.equal(first.facts.lastModified, lastModified);
  assert.equal(first.facts.etag, undefined);
  const second = await fetchUrl(url, { allowPrivate: true, known: first.facts });
  assert.equal(second.status, 'unchanged');
  assert.equal(server.requests[1].headers['if-modified-since'], lastModified);
  assert.equal(server.requests[1].headers['if-none-match'], undefined);
  assert.deepEqual(second.facts, { sha256: sha256(body), size: body.length, lastModified });
});

test('changed content behind the same URL is fetched again and hashed anew', async (t) => {
  let version = 1;
  const server = await startServer(t, (req, res) => {
    const etag = `"v${version}"`;
    if (req.headers['if-none-match'] === etag) return res.writeHead(304).end();
    res.writeHead(200, { etag }).end(`content ${version}`);
  });
  const url = `${server.origin}/a.txt`;
  const first = await fetchUrl(url, { allowPrivate: true });
  version = 2;
  const second = await fetchUrl(url, { allowPrivate: true, known: first.facts });
  assert.equal(second.status, 'fetched');
  assert.equal(second.facts.sha256, sha256(Buffer.from('content 2')));
  assert.notEqual(second.facts.sha256, first.facts.sha256);
});

test('a 404 is an http-status error naming the URL and the status', async (t) => {
  const server = await startServer(t, (_req, res) => res.writeHead(404).end('not here'));
  const url = `${server.origin}/missing.png`;
  await assert.rejects(fetchUrl(url, { allowPrivate: true }), isSourceError('http-status', /missing\.png answered HTTP 404/));
});

test('a body past maxBytes is too-large, and the download is aborted', async (t) => {
  const chunk = Buffer.alloc(32 * 1024, 1);
  const total = 2048; // 64 MB offered (more than loopback's socket buffers hold), no Content-Length; the limit is 100 kB
  let written = 0;
  let finished = false;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const server = await startServer(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.on('close', resolveClosed);
    res.on('finish', () => (finished = true));
    const pump = () => {
      while (written < total && !res.destroyed) {
        written++;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (written >= total) res.end();
    };
    pump();
  });
  await assert.rejects(
    fetchUrl(`${server.origin}/huge.bin`, { allowPrivate: true, limits: { maxBytes: 100_000 } }),
    isSourceError('too-large', /larger than 100000 bytes/),
  );
  await closed;
  assert.equal(finished, false, 'the server never finished sending: the client hung up');
  assert.ok(written < total, `the server wrote ${written} of ${total} chunks`);
});

test('a declared Content-Length past maxBytes is too-large before the body is read', async (t) => {
  const server = await startServer(t, (_req, res) => {
    res.writeHead(200, { 'content-length': String(30 * 1024 * 1024) });
    res.write(Buffer.alloc(1024));
  });
  await assert.rejects(fetchUrl(`${server.origin}/big.mp4`, { allowPrivate: true }), isSourceError('too-large', /larger than 25 MB/));
});

test('a server that never answers is a timeout', async (t) => {
  const server = await startServer(t, () => {
    /* never answers; closed with the server */
  });
  await assert.rejects(
    fetchUrl(`${server.origin}/slow.png`, { allowPrivate: true, limits: { timeoutMs: 200 } }),
    isSourceError('timeout', /took longer than 200 ms/),
  );
  assert.equal(server.requests.length, 1);
});

// Its timeout only turns a hang (an abort that cuts nothing) into a failure; no speed target.
test('a caller\'s abort cuts a fetch the server never answers, with the caller\'s reason, long before the timeout', { timeout: 30_000 }, async (t) => {
  const server = await startServer(t, () => {}); // never answers
  const stop = new AbortController();
  const fetching = fetchUrl(`${server.origin}/slow.png`, { allowPrivate: true, limits: { timeoutMs: 600_000 }, signal: stop.signal });
  while (server.requests.length === 0) await new Promise((resolve) => setImmediate(resolve)); // the request has arrived
  const reason = new Error('the state could not be read');
  stop.abort(reason);
  await assert.rejects(fetching, (error: unknown) => error === reason);
  await assert.rejects(fetchUrl(`${server.origin}/slow.png`, { allowPrivate: true, signal: stop.signal }), (error: unknown) => error === reason, 'already aborted: nothing is fetched');
  assert.equal(server.requests.length, 1);
});

test('a body that stalls half-way is a timeout', async (t) => {
  const server = await startServer(t, (_req, res) => {
    res.writeHead(200, { 'content-length': '1000' });
    res.write(Buffer.alloc(10));
  });
  await assert.rejects(
    fetchUrl(`${server.origin}/stall.png`, { allowPrivate: true, limits: { timeoutMs: 200 } }),
    isSourceError('timeout'),
  );
});

function redirectingServer(t: Parameters<typeof startServer>[0]) {
  return startServer(t, (req, res) => {
    const match = /^\/r\/(\d+)$/.exec(req.url ?? '');
    if (match) return res.writeHead(302, { location: `/r/${Number(match[1]) + 1}` }).end();
    if (req.url === '/to-final') return res.writeHead(301, { location: '/r-final' }).end();
    if (req.url === '/r-final') return res.writeHead(200).end('final');
    if (req.url === '/to-ftp') return res.writeHead(302, { location: 'ftp://files.example.com/a.png' }).end();
    res.writeHead(404).end();
  });
}

test('redirects are followed up to maxRedirects', async (t) => {
  const server = await redirectingServer(t);
  const result = await fetchUrl(`${server.origin}/to-final`, { allowPrivate: true, limits: { maxRedirects: 1 } });
  assert.equal(result.status, 'fetched');
  assert.equal(result.facts.sha256, sha256(Buffer.from('final')));
  assert.deepEqual(
    server.requests.map((r) => r.url),
    ['/to-final', '/r-final'],
  );
});

test('a redirect chain longer than maxRedirects is a redirects error, after exactly that many hops', async (t) => {
  const server = await redirectingServer(t);
  await assert.rejects(
    fetchUrl(`${server.origin}/r/0`, { allowPrivate: true, limits: { maxRedirects: 3 } }),
    isSourceError('redirects', /redirected more than 3 times/),
  );
  assert.deepEqual(
    server.requests.map((r) => r.url),
    ['/r/0', '/r/1', '/r/2', '/r/3'],
  );
});

test('a redirect to ftp: is a scheme error naming both URLs', async (t) => {
  const server = await redirectingServer(t);
  await assert.rejects(
    fetchUrl(`${server.origin}/to-ftp`, { allowPrivate: true }),
    isSourceError('scheme', /to-ftp redirects to ftp:\/\/files\.example\.com\/a\.png, which uses ftp:, not http\(s\)/),
  );
});

test('a URL that is not http(s) is a scheme error and nothing is fetched', async () => {
  await assert.rejects(fetchUrl('file:///etc/passwd', { allowPrivate: true }), isSourceError('scheme'));
});

test('without allowPrivate, 127.0.0.1 is refused before any connection', async (t) => {
  const server = await startServer(t, (_req, res) => res.writeHead(200).end('secret'));
  await assert.rejects(
    fetchUrl(`${server.origin}/a.png`, { allowPrivate: false }),
    isSourceError('private-address', /points to 127\.0\.0\.1, a loopback address; .*allow_private_urls: true/),
  );
  assert.equal(server.connections, 0);
  assert.equal(server.requests.length, 0);
});

test('without allowPrivate, localhost is refused after the lookup, before any connection', async (t) => {
  const server = await startServer(t, (_req, res) => res.writeHead(200).end('secret'));
  await assert.rejects(
    fetchUrl(`http://localhost:${server.port}/a.png`, { allowPrivate: false }),
    isSourceError('private-address', /localhost:\d+\/a\.png resolves to (127\.0\.0\.1|::1), a loopback address/),
  );
  assert.equal(server.connections, 0);
  assert.equal(server.requests.length, 0);
});

test('without allowPrivate, literal private and metadata addresses are refused without a connection attempt', async () => {
  const cases: Array<[string, RegExp]> = [
    ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254, a link-local address/],
    ['http://10.0.0.5/a.png', /10\.0\.0\.5, a private address/],
    ['http://[::1]:9/a.png', /::1, a loopback address/],
    ['http://[::ffff:127.0.0.1]:9/a.png', /::ffff:7f00:1, a loopback address/],
    ['http://0x7f.1:9/a.png', /127\.0\.0\.1, a loopback address/],
    ['http://0.0.0.0:9/a.png', /0\.0\.0\.0, an unspecified address/],
  ];
  for (const [url, message] of cases) {
    await assert.rejects(fetchUrl(url, { allowPrivate: false, limits: { timeoutMs: 5000 } }), isSourceError('private-address', message));
  }
});

test('an access_token in the URL never appears in an error', async (t) => {
  const server = await startServer(t, (_req, res) => res.writeHead(500).end());
  const secret = 'EAAtopsecret42';
  for (const allowPrivate of [true, false]) {
    await assert.rejects(fetchUrl(`${server.origin}/a.png?access_token=${secret}`, { allowPrivate }), (error: unknown) => {
      assert.ok(error instanceof SourceError);
      assert.ok(!error.message.includes(secret), error.message);
      assert.match(error.message, /access_token=REDACTED/);
      return true;
    });
  }
});

test('a refused connection is a network error', async () => {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  await assert.rejects(fetchUrl(`http://127.0.0.1:${port}/a.png`, { allowPrivate: true }), isSourceError('network', /ECONNREFUSED/));
});

test('every redirect hop is checked: a hop to a literal metadata address is refused, naming both URLs', () => {
  assert.throws(
    () => checkHop('https://cdn.example.com/a.png', 'http://169.254.169.254/latest/meta-data/', false),
    isSourceError(
      'private-address',
      /^https:\/\/cdn\.example\.com\/a\.png redirects to http:\/\/169\.254\.169\.254\/latest\/meta-data\/, which points to 169\.254\.169\.254, a link-local address/,
    ),
  );
  assert.equal(checkHop('https://cdn.example.com/a.png', 'http://169.254.169.254/x', true).hostname, '169.254.169.254');
  assert.equal(checkHop('https://cdn.example.com/a.png', 'https://other.example.com/b.png', false).hostname, 'other.example.com');
  assert.throws(() => checkHop('https://cdn.example.com/a.png', 'gopher://x/', false), isSourceError('scheme'));
});

test('limits left undefined keep their defaults', () => {
  assert.deepEqual(resolveLimits({ maxBytes: undefined, timeoutMs: 5 }), { maxBytes: 25 * 1024 * 1024, timeoutMs: 5, maxRedirects: 5 });
  assert.deepEqual(resolveLimits(undefined), { maxBytes: 25 * 1024 * 1024, timeoutMs: 30_000, maxRedirects: 5 });
});

test('saveTo writes the exact bytes it hashed, and a too-large body leaves no finished file behind', async (t) => {
  const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'attachform-save-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const body = randomBytes(300_000);
  const server = await startServer(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'audio/mpeg' }).end(body);
  });
  const saved = join(dir, 'saved');
  const result = await fetchUrl(`${server.origin}/a.mp3`, { allowPrivate: true, saveTo: saved });
  assert.equal(result.facts.sha256, sha256(body));
  assert.deepEqual(readFileSync(saved), body);
  await assert.rejects(
    fetchUrl(`${server.origin}/a.mp3`, { allowPrivate: true, saveTo: join(dir, 'big'), limits: { maxBytes: 1000 } }),
    isSourceError('too-large'),
  );
});
