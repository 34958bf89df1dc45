import type { Ticket, TicketOutcome } from './ticket-store';

/** Ticket figures for the admin panel. */
export interface TicketStats {
  /** Every ticket ever opened. */
  total: number;
  waiting: number;
  taken: number;
  closed: number;
  /** Closed tickets by how they ended. */
  outcomes: Record<TicketOutcome, number>;
  /** Tickets whose customer got the "all moderators are busy" reply. */
  timedOut: number;
  /** Mean time from opening to a moderator taking it, of the tickets that were taken (ms). */
  averageWaitMs?: number;
  /** Median of the same (ms). */
  medianWaitMs?: number;
}

/** Counts tickets by state and outcome and measures how long the taken ones waited. */
export function ticketStats(tickets: readonly Ticket[]): TicketStats {
  const stats: TicketStats = {
    total: tickets.length,
    waiting: 0,
    taken: 0,
    closed: 0,
    outcomes: { 'closed-by-user': 0, 'closed-by-moderator': 0, 'cancelled-by-user': 0 },
    timedOut: 0,
  };
  const waits: number[] = [];
  for (const ticket of tickets) {
    stats[ticket.state] += 1;
    if (ticket.outcome) stats.outcomes[ticket.outcome] += 1;
    if (ticket.timeoutRepliedAt !== undefined) stats.timedOut += 1;
    if (ticket.takenAt !== undefined) waits.push(Math.max(0, ticket.takenAt - ticket.openedAt));
  }
  if (waits.length > 0) {
    waits.sort((a, b) => a - b);
    stats.averageWaitMs = Math.round(waits.reduce((sum, wait) => sum + wait, 0) / waits.length);
    const middle = Math.floor(waits.length / 2);
    stats.medianWaitMs =
      waits.length % 2 === 1
        ? waits[middle]!
        : Math.round((waits[middle - 1]! + waits[middle]!) / 2);
  }
  return stats;
}
