import { describe, expect, it } from 'vitest';
import { BotwireError } from '../errors/botwire-error';
import type { ChatModel, ChatRequest, ChatResponse } from '../ports/chat-model';
import { modelErrorFromStatus } from './model-errors';
import { type ModelCallReport, resilientChatModel } from './resilient-chat-model';

type Step = ChatResponse | Error | 'hang' | 'ignore-signal';
const context = { provider: 'fake', model: 'fake-1' };
const answer = (text = 'ok'): ChatResponse => ({
  text,
  toolCalls: [],
  usage: { inputTokens: 5, outputTokens: 1 },
  model: 'fake-1',
});
const status = (code: number, retryAfter?: string) =>
  modelErrorFromStatus(context, { status: code, ...(retryAfter ? { retryAfter } : {}) });

/** A driver that plays steps in order and records the signals it got. */
function fakeModel(steps: Step[]) {
  const signals: (AbortSignal | undefined)[] = [];
  const model: ChatModel = {
    provider: 'fake',
    model: 'fake-1',
    chat(request: ChatRequest) {
      signals.push(request.signal);
      const step = steps.shift() ?? new Error('no step left');
      if (step === 'ignore-signal') return new Promise<ChatResponse>(() => {});
      if (step === 'hang') {
        return new Promise<ChatResponse>((_, reject) =>
          request.signal?.addEventListener('abort', () => reject(request.signal?.reason)),
        );
      }
      return step instanceof Error ? Promise.reject(step) : Promise.resolve(step);
    },
  };
  return { model, signals };
}

const hi: ChatRequest = { messages: [{ role: 'user', content: 'Hi' }] };
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );

describe('resilientChatModel', () => {
  it('backs off exponentially with jitter, capped at maxRetryDelayMs', async () => {
    const { model } = fakeModel([status(500), status(502), status(503), status(504), answer()]);
    const delays: number[] = [];
    const resilient = resilientChatModel(model, {
      retries: 4,
      baseDelayMs: 100,
      maxRetryDelayMs: 300,
      random: () => 0.999,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    await resilient.chat(hi);
    expect(delays).toEqual([100, 200, 300, 300]);
    const low: number[] = [];
    const { model: again } = fakeModel([status(500), answer()]);
    await resilientChatModel(again, {
      baseDelayMs: 100,
      random: () => 0,
      sleep: async (ms) => void low.push(ms),
    }).chat(hi);
    expect(low).toEqual([50]);
  });

  it('never retries 4xx other than 429, bad responses or driver bugs', async () => {
    for (const error of [
      status(400),
      status(404),
      new BotwireError('BOTWIRE_MODEL_BAD_RESPONSE'),
      new TypeError('bug'),
    ]) {
      const { model, signals } = fakeModel([error, answer()]);
      const caught = await failure(resilientChatModel(model, { sleep: async () => {} }).chat(hi));
      expect(signals).toHaveLength(1);
      expect(caught).toBeInstanceOf(BotwireError);
    }
  });

  it('wraps a driver bug as BOTWIRE_MODEL_FAILED with the cause', async () => {
    const bug = new TypeError('undefined is not a function');
    const { model } = fakeModel([bug]);
    const caught = await failure(resilientChatModel(model).chat(hi));
    expect(caught).toMatchObject({ code: 'BOTWIRE_MODEL_FAILED', cause: bug });
  });

  it('times out a driver that ignores the signal, and aborts the signal it gave the driver', async () => {
    const { model, signals } = fakeModel(['ignore-signal']);
    const caught = await failure(resilientChatModel(model, { timeoutMs: 30 }).chat(hi));
    expect(caught).toMatchObject({ code: 'BOTWIRE_MODEL_TIMEOUT' });
    expect(signals[0]?.aborted).toBe(true);
  });

  it('retries a timeout only with retryOnTimeout', async () => {
    const { model, signals } = fakeModel(['hang', answer('second')]);
    const resilient = resilientChatModel(model, {
      timeoutMs: 20,
      retryOnTimeout: true,
      sleep: async () => {},
    });
    expect((await resilient.chat(hi)).text).toBe('second');
    expect(signals).toHaveLength(2);
  });

  it('stops at once when the caller aborts, even while backing off, without retrying', async () => {
    const { model, signals } = fakeModel([status(500), answer()]);
    const controller = new AbortController();
    const records: ModelCallReport[] = [];
    const resilient = resilientChatModel(model, {
      baseDelayMs: 10_000,
      onCall: (record) => records.push(record),
    });
    const call = resilient.chat({ ...hi, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user left')), 20);
    await expect(call).rejects.toThrow('user left');
    expect(signals).toHaveLength(1);
    expect(records[0]).toMatchObject({ ok: false, errorCode: 'ABORTED', attempts: 1 });
    expect(resilient.state).toBe('closed');
  });

  it('gives up retrying when the wait would pass the deadline', async () => {
    let now = 0;
    const { model, signals } = fakeModel([status(429, '5'), answer()]);
    const resilient = resilientChatModel(model, {
      deadlineMs: 1000,
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    });
    const caught = await failure(resilient.chat(hi));
    expect(caught).toMatchObject({ code: 'BOTWIRE_MODEL_RATE_LIMITED' });
    expect(signals).toHaveLength(1);
  });

  it('does not count 4xx answers as failures of the endpoint', async () => {
    const { model } = fakeModel([status(400), status(401), status(404)]);
    const resilient = resilientChatModel(model, { failureThreshold: 2 });
    for (let index = 0; index < 3; index++) await failure(resilient.chat(hi));
    expect(resilient.state).toBe('closed');
  });

  it('counts consecutive failures only: a success resets the count', async () => {
    const { model } = fakeModel([status(500), answer(), status(500), status(500)]);
    const resilient = resilientChatModel(model, { retries: 0, failureThreshold: 2 });
    await failure(resilient.chat(hi));
    await resilient.chat(hi);
    await failure(resilient.chat(hi));
    expect(resilient.state).toBe('closed');
    await failure(resilient.chat(hi));
    expect(resilient.state).toBe('open');
  });

  it('lets only one trial through while half-open', async () => {
    let now = 0;
    let release: (response: ChatResponse) => void = () => {};
    const calls: ChatRequest[] = [];
    const model: ChatModel = {
      provider: 'fake',
      model: 'fake-1',
      chat: (request) => {
        calls.push(request);
        if (calls.length === 1) return Promise.reject(status(500));
        return new Promise((resolve) => {
          release = resolve;
        });
      },
    };
    const resilient = resilientChatModel(model, {
      retries: 0,
      failureThreshold: 1,
      coolDownMs: 50,
      now: () => now,
    });
    await failure(resilient.chat(hi));
    now = 50;
    const trial = resilient.chat(hi);
    expect(resilient.state).toBe('half-open');
    await expect(resilient.chat(hi)).rejects.toMatchObject({ code: 'BOTWIRE_MODEL_CIRCUIT_OPEN' });
    release(answer('trial'));
    expect((await trial).text).toBe('trial');
    expect(resilient.state).toBe('closed');
    expect(calls).toHaveLength(2);
  });

  it('calls onCall once per call, and ignores a hook that throws', async () => {
    const { model } = fakeModel([status(503), answer()]);
    const records: ModelCallReport[] = [];
    const resilient = resilientChatModel(model, {
      sleep: async () => {},
      onCall: (record) => {
        records.push(record);
        throw new Error('broken hook');
      },
    });
    await resilient.chat(hi);
    expect(records).toEqual([
      expect.objectContaining({
        provider: 'fake',
        model: 'fake-1',
        ok: true,
        attempts: 2,
        inputTokens: 5,
        outputTokens: 1,
      }),
    ]);
    expect(resilient.inner).toBe(model);
  });
});
