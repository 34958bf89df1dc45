/**
 * Waits until `check()` is true, looking every 10 ms; throws "timed out waiting for <what>"
 * after `timeoutMs` (default 10 s). For tests that wait on a peer or a background job.
 *
 * @example
 * await waitUntil(() => peer.callsOf('sendMessage').length === 2, 'the second reply');
 */
export async function waitUntil(
  check: () => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
