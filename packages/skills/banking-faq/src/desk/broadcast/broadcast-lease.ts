import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { KeyValueStore } from '@botwire/core';
import { deskNamespace } from '../directory';

/** Who sends a broadcast now, as stored under `bcast-lease:<id>`. */
export interface LeaseRecord {
  /** A token of this holding (one per acquisition). */
  holder: string;
  pid: number;
  host: string;
  at: number;
}

/** How long a lease lasts unless renewed; the sender renews it well before. */
export const leaseTtlMs = 5000;

/** The leases this process holds now (so a stopped bot's lease is known for stale at once). */
const heldHere = new Set<string>();

/** True when the process is gone: `kill(pid, 0)` answers ESRCH. */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * The right to send one broadcast, held by one process at a time: a key added with a TTL of
 * {@link leaseTtlMs}, renewed every third of it while held (and checked before each send). A lease whose holder is a dead process on this
 * host (killed with SIGKILL), or a bot of this process that stopped, is taken over at once;
 * another's lease waits for its TTL. Two takers of one stale lease race on a second key
 * (`kv.add`), so only one wins.
 */
export class BroadcastLease {
  private mine: LeaseRecord | undefined;
  private renewedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private renewing: Promise<boolean> | undefined;

  constructor(
    private readonly kv: KeyValueStore,
    readonly broadcastId: string,
    private readonly now: () => number = Date.now,
  ) {}

  private get key() {
    return `bcast-lease:${this.broadcastId}`;
  }

  /** True while this object holds the lease (as far as it knows). */
  get held(): boolean {
    return this.mine !== undefined;
  }

  /** Takes the lease if it is free or stale; false when another live process holds it. */
  async acquire(): Promise<boolean> {
    if (this.mine) return true;
    const mine: LeaseRecord = {
      holder: randomUUID(),
      pid: process.pid,
      host: hostname(),
      at: this.now(),
    };
    let taken = await this.kv.add(deskNamespace, this.key, mine, { ttlMs: leaseTtlMs });
    if (!taken) {
      const current = await this.kv.get<LeaseRecord>(deskNamespace, this.key);
      if (!current) taken = await this.kv.add(deskNamespace, this.key, mine, { ttlMs: leaseTtlMs });
      else if (stale(current)) {
        const won = await this.kv.add(
          deskNamespace,
          `${this.key}:takeover:${current.holder}`,
          mine,
          {
            ttlMs: 60_000,
          },
        );
        if (won) {
          await this.kv.set(deskNamespace, this.key, mine, { ttlMs: leaseTtlMs });
          taken = true;
        }
      }
    }
    if (!taken) return false;
    this.mine = mine;
    this.renewedAt = this.now();
    heldHere.add(mine.holder);
    // Renewed in the background too, so a slow send (a messenger's retry) does not lose it.
    this.timer = setInterval(() => {
      this.renewing ??= this.keep()
        .catch(() => true)
        .finally(() => {
          this.renewing = undefined;
        });
    }, leaseTtlMs / 3);
    this.timer.unref();
    return true;
  }

  /**
   * Renews the lease when a third of its TTL has passed; false when it was lost (another
   * process took it while this one stalled), and then the caller must stop sending.
   */
  async keep(): Promise<boolean> {
    if (!this.mine) return false;
    if (this.now() - this.renewedAt < leaseTtlMs / 3) return true;
    const current = await this.kv.get<LeaseRecord>(deskNamespace, this.key);
    if (current && current.holder !== this.mine.holder) {
      this.forget();
      return false;
    }
    const renewed = { ...this.mine, at: this.now() };
    if (current) await this.kv.set(deskNamespace, this.key, renewed, { ttlMs: leaseTtlMs });
    else if (!(await this.kv.add(deskNamespace, this.key, renewed, { ttlMs: leaseTtlMs }))) {
      this.forget();
      return false;
    }
    this.renewedAt = this.now();
    return true;
  }

  /** Gives the lease up (when it is still this object's). */
  async release(): Promise<void> {
    clearInterval(this.timer);
    await this.renewing;
    if (!this.mine) return;
    const current = await this.kv.get<LeaseRecord>(deskNamespace, this.key);
    if (current?.holder === this.mine.holder) await this.kv.delete(deskNamespace, this.key);
    this.forget();
  }

  private forget() {
    clearInterval(this.timer);
    if (this.mine) heldHere.delete(this.mine.holder);
    this.mine = undefined;
  }
}

/** A lease nobody will renew: its process on this host is gone, or it is this process's and not held. */
function stale(lease: LeaseRecord): boolean {
  if (lease.host !== hostname()) return false;
  if (lease.pid === process.pid) return !heldHere.has(lease.holder);
  return processGone(lease.pid);
}
