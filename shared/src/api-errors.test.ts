import { ApiException } from '@kubernetes/client-node';
import { describeApiError } from './api-errors.js';

describe('describeApiError', () => {
  it("turns client-node's 429 (storage initializing) into one transient line with the retry, without headers", () => {
    const body = JSON.stringify({
      kind: 'Status',
      status: 'Failure',
      message: 'storage is (re)initializing',
      reason: 'TooManyRequests',
      details: { retryAfterSeconds: 1 },
      code: 429,
    });
    const err = new ApiException(429, 'Unknown API Status Code!', body, {
      'retry-after': '1',
      'audit-id': 'x'.repeat(2000),
    });
    const s = describeApiError(err);
    expect(s).toEqual({
      transient: true,
      status: 429,
      reason: '429 TooManyRequests: storage is (re)initializing (retry after 1s)',
    });
  });

  it("reads the controller's ApiError shape (statusCode, parsed body): a conflict is transient", () => {
    const err = Object.assign(new Error('PUT /x: 409 the object has been modified'), {
      statusCode: 409,
      body: {
        reason: 'Conflict',
        message: 'the object has been modified; please apply your changes to the latest version',
      },
    });
    expect(describeApiError(err)).toMatchObject({
      transient: true,
      reason: expect.stringMatching(/^409 Conflict: the object/),
    });
  });

  it('calls a lost connection transient, looking through the cause undici wraps it in', () => {
    const err = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' }),
    });
    expect(describeApiError(err)).toEqual({ transient: true, reason: 'ECONNREFUSED: fetch failed' });
  });

  it('keeps a real failure a failure, on one line', () => {
    expect(describeApiError({ code: 403, body: '{"reason":"Forbidden","message":"servers is forbidden"}' })).toEqual({
      transient: false,
      status: 403,
      reason: '403 Forbidden: servers is forbidden',
    });
    expect(describeApiError(new Error('first\n    at stack line'))).toEqual({ transient: false, reason: 'first' });
    expect(describeApiError({ statusCode: 500, body: { message: 'failed calling webhook' } }).transient).toBe(false);
  });
});
