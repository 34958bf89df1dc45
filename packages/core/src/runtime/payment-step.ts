import type { Middleware } from '../middleware/composer';
import type { BotContext } from './bot-context';

/**
 * The chain step of payments made in the messenger: a `payment` message goes to the skill whose
 * invoice it pays (payload `<skill>:...`). A `check` is approved or declined as the skill says,
 * and declined when no skill takes it; after `paid`, the skill's reply goes to the user. Other
 * messages pass on.
 */
export function paymentStep(): Middleware<BotContext> {
  return async (context, next) => {
    const { payment } = context.message;
    if (context.message.kind !== 'payment' || !payment) return next();
    const answer = await context.services.payment?.(payment, context.callOptions());
    if (payment.stage === 'check') {
      const approve = answer?.approve === true;
      await payment.answer?.(
        approve,
        approve ? undefined : (answer?.reason ?? context.t('payment.declined')),
      );
      return;
    }
    if (!answer) {
      // The money arrived but nothing credited it: the operator must know.
      context.log.error('payment-not-handled', {
        payload: payment.payload,
        chargeId: payment.chargeId,
        amount: payment.amount,
        currency: payment.currency,
      });
      await context.reply(context.t('payment.unhandled'));
      return;
    }
    if (answer.reply) await context.reply(answer.reply);
  };
}
