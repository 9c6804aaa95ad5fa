import { MfaError } from '@mfakit/core';
import { REGISTRY_ERROR_CODES, RetryLaterError } from '@mfakit/registry';
import { expect, test } from 'vitest';
import { errorAnswer, REGISTRY_ERROR_STATUS } from '../src/index.js';

test('every registry error code has an HTTP status (a new code without one fails here and in tsc)', () => {
  expect(Object.keys(REGISTRY_ERROR_STATUS).sort()).toEqual([...REGISTRY_ERROR_CODES].sort());
  for (const code of REGISTRY_ERROR_CODES) {
    const status = REGISTRY_ERROR_STATUS[code];
    expect(Number.isInteger(status) && status >= 400 && status <= 599, code).toBe(true);
  }
});

test('refusals of input are 4xx with the message; failures of the service are 5xx with a generic one', () => {
  for (const code of REGISTRY_ERROR_CODES) {
    const answer = errorAnswer(new MfaError(code, `message for ${code}`));
    expect(answer.status).toBe(REGISTRY_ERROR_STATUS[code]);
    expect(answer.body.error).toBe(code);
    if (answer.status < 500) expect(answer.body.message).toBe(`message for ${code}`);
    else expect(answer.body.message).not.toContain(code);
  }
  expect(errorAnswer(new MfaError('store_unavailable', 'pg: password authentication failed')).body.message).not.toMatch(
    /pg|password/,
  );
});

test('a rate limit says when to retry; an unknown error is a bare 500', () => {
  const limited = errorAnswer(new RetryLaterError('recovery_rate_limited', 'x', { retryAt: 0, retryAfterMs: 1500 }));
  expect(limited).toMatchObject({ status: 429, headers: { 'retry-after': '2' } });
  const unknown = errorAnswer(new Error('secret 12345 leaked in a message'));
  expect(unknown).toEqual({
    status: 500,
    body: { error: 'internal', message: 'The server could not complete the request' },
  });
});
