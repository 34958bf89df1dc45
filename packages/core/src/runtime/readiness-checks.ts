import type { ChatModel } from '../ports/chat-model';
import type { ReadinessCheck } from '../ports/http-routes';
import type { StorageDriver } from '../ports/storage';

/** `/ready`'s storage check: a read through the driver. */
export function storageReadiness(storage: () => StorageDriver | undefined): ReadinessCheck {
  return async () => {
    const driver = storage();
    if (!driver) return { ok: false, error: 'not open' };
    await driver.kv.get('botwire', 'ready-probe');
    return { ok: true, details: { driver: driver.name } };
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
