/**
 * Runs tasks one after another per key (a chat) and concurrently across keys, so the messages
 * of one chat are handled in the order they arrived.
 */
export class ChatQueue {
  private readonly tails = new Map<string, Promise<void>>();

  /** Queues `task` behind the key's earlier tasks; resolves or rejects with it. */
  run(key: string, task: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(task);
    const settled = current.catch(() => {});
    this.tails.set(key, settled);
    void settled.then(() => {
      if (this.tails.get(key) === settled) this.tails.delete(key);
    });
    return current;
  }

  /** Resolves when every queued task has finished. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.tails.values()]);
  }
}
