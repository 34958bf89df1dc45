import type { ScopedKeyValueStore } from '@botwire/core';
import type { GoalStats } from './streaks';

/** One goal of a user. */
export interface GoalRecord {
  /** Sortable by creation: goals list in the order they were set. */
  id: string;
  title: string;
  target?: number;
  unit?: string;
  progress: number;
  createdAt: number;
  archived: boolean;
  archivedAt?: number;
  /** The local day of its last check-in. */
  lastDay?: string;
}

/** One check-in, kept for summaries. */
export interface CheckInRecord {
  at: number;
  day: string;
  goalId: string;
  amount: number;
  earned: number;
  note?: string;
}

const emptyStats: GoalStats = { points: 0, streak: 0, best: 0, checkIns: 0 };

/** A user's goals, score and check-ins in the skill's per-user storage. */
export class GoalStore {
  constructor(private readonly kv: ScopedKeyValueStore) {}

  /** Every goal, oldest first. */
  async all(): Promise<GoalRecord[]> {
    return (await this.kv.list<GoalRecord>({ prefix: 'goal:', limit: 1000 })).map(
      (entry) => entry.value,
    );
  }

  /** The active goals, oldest first: the numbers /goals shows count these. */
  async active(): Promise<GoalRecord[]> {
    return (await this.all()).filter((goal) => !goal.archived);
  }

  async save(goal: GoalRecord): Promise<void> {
    await this.kv.set(`goal:${goal.id}`, goal);
  }

  async stats(): Promise<GoalStats> {
    return (await this.kv.get<GoalStats>('stats')) ?? emptyStats;
  }

  async saveStats(stats: GoalStats): Promise<void> {
    await this.kv.set('stats', stats);
  }

  async log(entry: CheckInRecord): Promise<void> {
    const random = Math.floor(Math.random() * 1e6)
      .toString(36)
      .padStart(4, '0');
    await this.kv.set(`log:${String(entry.at).padStart(15, '0')}:${random}`, entry);
  }

  /** Check-ins from `since` (ms) on, oldest first. */
  async checkIns(since = 0): Promise<CheckInRecord[]> {
    const entries = await this.kv.list<CheckInRecord>({ prefix: 'log:', limit: 100_000 });
    return entries.map((entry) => entry.value).filter((entry) => entry.at >= since);
  }
}

/** A new goal id, sortable by time. */
export function newGoalId(now = Date.now()): string {
  return `g${now.toString(36).padStart(9, '0')}${Math.floor(Math.random() * 36 ** 4)
    .toString(36)
    .padStart(4, '0')}`;
}

/**
 * The goal a reference names among the active ones: its number (`2`, `#2`), else the one whose
 * title contains the words (any case); undefined when none or several match.
 */
export function findGoal(goals: GoalRecord[], reference: string): GoalRecord | undefined {
  const wanted = reference.trim().replace(/^[#№]/, '');
  if (/^\d+$/.test(wanted)) return goals[Number(wanted) - 1];
  const words = wanted.toLowerCase();
  const matches = goals.filter((goal) => goal.title.toLowerCase().includes(words));
  return matches.length === 1 ? matches[0] : undefined;
}
