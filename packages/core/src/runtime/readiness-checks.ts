import type { ChatModel } from '../ports/chat-model';
import type { ChatSequencer } from '../ports/chat-sequencer';
import type { ReadinessCheck } from '../ports/http-routes';
import type { StorageDriver } from '../ports/storage';

/**
 * `/ready`'s storage check: the driver's `ping()` when it has one (its latency, rounded to a
 * tenth of a millisecond, in `details.latencyMs`), else a key-value read. A failure is not
 * ready, with the driver's message.
 */
export function storageReadiness(storage: () => StorageDriver | undefined): ReadinessCheck {
  return async () => {
    const driver = storage();
    if (!driver) return { ok: false, error: 'not open' };
    const details: Record<string, unknown> = { driver: driver.name };
    try {
      if (driver.ping) {
        details.latencyMs = Math.round((await driver.ping()) * 10) / 10;
      } else {
        await driver.kv.get('botwire', 'ready-probe');
      }
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error), details };
    }
    return { ok: true, details };
  };
}

/** `/ready`'s model check: not ready while the circuit breaker is open; fine without a model. */
export function modelReadiness(
  model: () => (ChatModel & { state?: string }) | undefined,
): ReadinessCheck {
  return () => {
    const current = model();
    if (!current) return { ok: true, details: { configured: false } };
    const details = {
      provider: current.provider,
      model: current.model,
      ...(current.state ? { circuit: current.state } : {}),
    };
    if (current.state === 'open')
      return {
        ok: false,
        error: 'the circuit breaker is open: the model failed repeatedly',
        details,
      };
    return { ok: true, details };
  };
}

/**
 * `/ready`'s chat sequencer check (several processes behind one webhook): one read of its store
 * (Redis, or the bot's storage), with the latency in `details.latencyMs`. A process that cannot
 * reach it cannot accept updates in order, so it is not ready. Fine without a sequencer.
 */
export function sequencerReadiness(sequencer: () => ChatSequencer | undefined): ReadinessCheck {
  return async () => {
    const current = sequencer();
    if (!current) return { ok: true, details: { configured: false } };
    const details: Record<string, unknown> = { driver: current.name };
    const started = performance.now();
    try {
      await current.wasAnswered('botwire-ready-probe', 0);
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error), details };
    }
    details.latencyMs = Math.round((performance.now() - started) * 10) / 10;
    return { ok: true, details };
  };
}
