import type { Desk } from '../desk';
import { type TicketStore, ticketNumber } from './ticket-store';
import { ticketText } from './ticket-strings';

/** How often the sweeper looks at most rarely. */
const longestPeriodMs = 15_000;
/** How often it looks at most often (for fractional test timeouts). */
const shortestPeriodMs = 100;

/** The ticket timeout in ms, from `ticketTimeoutMinutes` (fractions allowed). */
export function ticketTimeoutMs(desk: Desk): number {
  return Math.max(0, desk.options.ticketTimeoutMinutes) * 60_000;
}

/**
 * Tells the customer of every ticket that waited longer than the timeout, once, that all
 * moderators are busy and the ticket stays open. Safe with several processes (the reply is
 * claimed with an atomic marker) and after a restart (it reads storage alone). Returns how many
 * customers it told.
 */
export async function sweepTimeouts(desk: Desk, store: TicketStore): Promise<number> {
  const timeoutMs = ticketTimeoutMs(desk);
  const now = desk.now();
  let told = 0;
  for (const entry of await store.waiting()) {
    if (entry.replied || now - entry.openedAt < timeoutMs) continue;
    const ticket = await store.get(entry.id);
    if (ticket?.state !== 'waiting') {
      await store.unlistWaiting(entry.id);
      continue;
    }
    if (!(await store.claimTimeout(ticket.id))) {
      await store.listWaiting({ ...entry, replied: true });
      continue;
    }
    const { ticket: marked } = await store.mutate(ticket.id, (current) =>
      current.state === 'waiting' ? { ...current, timeoutRepliedAt: desk.now() } : undefined,
    );
    if (marked?.state !== 'waiting') continue;
    // The index entry is kept (the ticket still waits) but marked, so sweeps skip it.
    await store.listWaiting({ ...entry, replied: true });
    const customer = await desk.directory.get(ticket.userId);
    if (!customer) continue;
    try {
      await desk.send(customer, {
        text: ticketText(desk.localeOf(customer), 'timeout', { number: ticketNumber(ticket) }),
      });
      told += 1;
    } catch (error) {
      desk.services.log.warn('bank-desk-ticket-timeout-reply-failed', {
        ticket: ticket.id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return told;
}

/**
 * Runs {@link sweepTimeouts} now and then every min(15 s, timeout / 4), in the background
 * (the timer does not keep the process alive). Returns a function that stops it.
 */
export function startSweeper(desk: Desk, store: TicketStore): () => void {
  const periodMs = Math.max(shortestPeriodMs, Math.min(longestPeriodMs, ticketTimeoutMs(desk) / 4));
  let running = false;
  let stopped = false;
  const sweep = async () => {
    if (running || stopped) return;
    running = true;
    try {
      await sweepTimeouts(desk, store);
    } catch (error) {
      if (!stopped)
        desk.services.log.warn('bank-desk-ticket-sweep-failed', {
          error: error instanceof Error ? error.message : String(error),
        });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void sweep(), periodMs);
  timer.unref();
  void sweep();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
