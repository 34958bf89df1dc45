import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { memoryStorage } from '@botwire/core';
import { describe, expect, it, vi } from 'vitest';
import { deskNamespace } from '../directory';
import { BroadcastLease, type LeaseRecord, leaseTtlMs, processGone } from './broadcast-lease';

const deadPid = () => {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
};

async function kvWithLease(lease?: Partial<LeaseRecord>) {
  const storage = memoryStorage();
  await storage.open();
  if (lease)
    await storage.kv.set(
      deskNamespace,
      'bcast-lease:b1',
      { holder: 'old', pid: process.pid, host: hostname(), at: 0, ...lease },
      { ttlMs: leaseTtlMs },
    );
  return storage.kv;
}

describe('BroadcastLease', () => {
  it('lets one holder at a time send a broadcast, and the next one in after a release', async () => {
    const kv = await kvWithLease();
    const first = new BroadcastLease(kv, 'b1');
    const second = new BroadcastLease(kv, 'b1');
    expect(await first.acquire()).toBe(true);
    expect(await second.acquire()).toBe(false);
    expect(await new BroadcastLease(kv, 'b2').acquire()).toBe(true);
    await first.release();
    expect(await second.acquire()).toBe(true);
  });

  it('takes over at once from a process on this host that is gone (SIGKILL)', async () => {
    const pid = deadPid();
    expect(processGone(pid)).toBe(true);
    const kv = await kvWithLease({ pid });
    expect(await new BroadcastLease(kv, 'b1').acquire()).toBe(true);
    // Only one of two takers of the same stale lease wins.
    const kv2 = await kvWithLease({ pid });
    const wins = await Promise.all([
      new BroadcastLease(kv2, 'b1').acquire(),
      new BroadcastLease(kv2, 'b1').acquire(),
    ]);
    expect(wins.filter(Boolean)).toHaveLength(1);
  });

  it('takes over the lease a stopped bot of this process left', async () => {
    const kv = await kvWithLease({ pid: process.pid, holder: 'not-held-here' });
    expect(await new BroadcastLease(kv, 'b1').acquire()).toBe(true);
  });

  it('waits for a live process or another host until the lease expires', async () => {
    expect(await new BroadcastLease(await kvWithLease({ pid: process.ppid }), 'b1').acquire()).toBe(
      false,
    );
    const pid = deadPid();
    expect(
      await new BroadcastLease(await kvWithLease({ pid, host: 'elsewhere' }), 'b1').acquire(),
    ).toBe(false);
  });

  it('renews while held, and reports a lease another process took', async () => {
    let time = 1_000_000;
    const kv = await kvWithLease();
    const lease = new BroadcastLease(kv, 'b1', () => time);
    expect(await lease.acquire()).toBe(true);
    time += leaseTtlMs / 2;
    expect(await lease.keep()).toBe(true);
    await kv.set(deskNamespace, 'bcast-lease:b1', {
      holder: 'thief',
      pid: process.ppid,
      host: hostname(),
      at: time,
    });
    time += leaseTtlMs / 2;
    expect(await lease.keep()).toBe(false);
    expect(lease.held).toBe(false);
  });

  it('stays held past its TTL while the holder lives (renewed in the background)', async () => {
    vi.useFakeTimers();
    try {
      const kv = await kvWithLease();
      const holder = new BroadcastLease(kv, 'b1');
      expect(await holder.acquire()).toBe(true);
      await vi.advanceTimersByTimeAsync(leaseTtlMs * 3);
      const other = new BroadcastLease(kv, 'b1');
      expect(await other.acquire()).toBe(false);
      await holder.release();
      expect(await other.acquire()).toBe(true);
      await other.release();
    } finally {
      vi.useRealTimers();
    }
  });
});
