import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphError } from '../../src/graph/graph-error.js';
import { readGraphError, readRetryAfter } from '../../src/graph/parse-answer.js';

const body = (error: Record<string, unknown>) => JSON.stringify({ error: { type: 'OAuthException', fbtrace_id: 'Abc', ...error } });

test('classification: retryable, rate limit and token errors by status and code', () => {
  const cases: Array<[number, number | undefined, boolean, { retry: boolean; rate: boolean; token: boolean }]> = [
    [500, undefined, false, { retry: true, rate: false, token: false }],
    [400, 1, false, { retry: true, rate: false, token: false }],
    [400, 2, false, { retry: true, rate: false, token: false }],
    [400, 1200, false, { retry: true, rate: false, token: false }],
    [400, 100, true, { retry: true, rate: false, token: false }],
    [400, 100, false, { retry: false, rate: false, token: false }],
    [429, undefined, false, { retry: false, rate: true, token: false }],
    [403, 4, false, { retry: false, rate: true, token: false }],
    [400, 17, false, { retry: false, rate: true, token: false }],
    [400, 32, false, { retry: false, rate: true, token: false }],
    [400, 613, false, { retry: false, rate: true, token: false }],
    [400, 80001, false, { retry: false, rate: true, token: false }],
    [400, 190, false, { retry: false, rate: false, token: true }],
    [400, 104, false, { retry: false, rate: false, token: true }],
  ];
  for (const [status, code, isTransient, expected] of cases) {
    const error = new GraphError('x', { kind: 'graph', status, code, isTransient });
    assert.deepEqual(
      { retry: error.isRetryable(), rate: error.isRateLimit(), token: error.isTokenError() },
      expected,
      `status ${status} code ${code} transient ${isTransient}`,
    );
  }
  assert.ok(new GraphError('x', { kind: 'network', status: 0 }).isRetryable());
  assert.ok(new GraphError('x', { kind: 'timeout', status: 0 }).isRetryable());
});

test('readGraphError keeps Graph’s fields and writes the message as (#code/subcode)', () => {
  const error = readGraphError(400, body({ message: '(#100) Failed to fetch the file from the url', code: 100, error_subcode: 2018008, error_user_title: 'T', error_user_msg: 'M' }), {}, []);
  assert.equal(error.message, '(#100/2018008) Failed to fetch the file from the url');
  assert.deepEqual([error.status, error.code, error.subcode, error.type, error.fbtraceId, error.userTitle, error.userMessage], [400, 100, 2018008, 'OAuthException', 'Abc', 'T', 'M']);
  assert.equal(error.isTransient, false);
});

test('readGraphError scrubs secrets and copes with a body that is not Graph’s', () => {
  const leaky = readGraphError(400, body({ message: 'bad token tok-123456789', code: 190 }), {}, ['tok-123456789']);
  assert.equal(leaky.message, '(#190) bad token [REDACTED]');
  const html = readGraphError(502, '<html>Bad gateway</html>', {}, []);
  assert.equal(html.status, 502);
  assert.equal(html.code, undefined);
  assert.match(html.message, /^HTTP 502/);
  assert.ok(html.isRetryable());
});

test('retryAfterMs comes from Retry-After seconds, else the largest estimated_time_to_regain_access', () => {
  assert.equal(readRetryAfter({ 'retry-after': '30' }), 30_000);
  assert.equal(
    readRetryAfter({
      'x-business-use-case-usage': JSON.stringify({ '1': [{ type: 'messenger', call_count: 100, estimated_time_to_regain_access: 4 }, { estimated_time_to_regain_access: 7 }] }),
    }),
    7 * 60_000,
  );
  assert.equal(readRetryAfter({ 'x-app-usage': JSON.stringify({ call_count: 10 }) }), undefined);
  assert.equal(readRetryAfter({ 'x-business-use-case-usage': '{not json' }), undefined);
  assert.equal(readRetryAfter({}), undefined);
});
