import { describe, expect, it } from 'vitest';
import { BotwireError } from '../errors/botwire-error';
import {
  isRetryableModelError,
  modelErrorFromStatus,
  modelUnavailable,
  parseRetryAfter,
  redactSecret,
  safeEndpoint,
} from './model-errors';

const context = {
  provider: 'openai',
  model: 'gpt-test',
  endpoint: 'https://user:pw@example.test/v1/?key=1',
};

describe('model errors', () => {
  it('reads Retry-After as seconds, fractions or an HTTP date', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('0.25')).toBe(250);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter(new Date(1_000).toUTCString(), 4_000)).toBe(0);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it('maps 429 to RATE_LIMITED and other statuses to FAILED, with status and retryAfterMs', () => {
    const limited = modelErrorFromStatus(context, {
      status: 429,
      message: 'Slow down',
      retryAfter: '3',
    });
    expect(limited).toMatchObject({
      code: 'BOTWIRE_MODEL_RATE_LIMITED',
      details: { status: 429, retryAfterMs: 3000, provider: 'openai', model: 'gpt-test' },
    });
    expect(limited.message).toContain('Slow down');
    const failed = modelErrorFromStatus(context, { status: 503, retryAfterMs: '120' });
    expect(failed).toMatchObject({
      code: 'BOTWIRE_MODEL_FAILED',
      details: { status: 503, retryAfterMs: 120 },
    });
    expect(modelErrorFromStatus(context, { status: 401 }).hint).toContain('API key');
  });

  it('never shows credentials or query strings of the endpoint', () => {
    expect(safeEndpoint(context.endpoint)).toBe('https://example.test/v1');
    const error = modelUnavailable(
      context,
      Object.assign(new Error('x'), { code: 'ECONNREFUSED' }),
    );
    expect(error.message).toContain('ECONNREFUSED');
    expect(JSON.stringify(error.toJSON())).not.toContain('pw');
    expect(redactSecret('key sk-123456 leaked', 'sk-123456')).toBe('key *** leaked');
  });

  it('retries rate limits, unreachable endpoints and 5xx, never 4xx or bad responses', () => {
    const status = (code: number) => modelErrorFromStatus(context, { status: code });
    expect(isRetryableModelError(status(429))).toBe(true);
    expect(isRetryableModelError(status(500))).toBe(true);
    expect(isRetryableModelError(status(400))).toBe(false);
    expect(isRetryableModelError(status(401))).toBe(false);
    expect(isRetryableModelError(modelUnavailable(context))).toBe(true);
    expect(isRetryableModelError(new BotwireError('BOTWIRE_MODEL_BAD_RESPONSE'))).toBe(false);
    const timeout = new BotwireError('BOTWIRE_MODEL_TIMEOUT');
    expect(isRetryableModelError(timeout)).toBe(false);
    expect(isRetryableModelError(timeout, { retryOnTimeout: true })).toBe(true);
    expect(isRetryableModelError(new Error('plain'))).toBe(false);
  });
});
