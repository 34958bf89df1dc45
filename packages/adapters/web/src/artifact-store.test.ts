import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { directoryArtifactStore, memoryArtifactStore } from './artifact-store';

const file = (text: string) => ({
  name: 'a.txt',
  mimeType: 'text/plain',
  data: new TextEncoder().encode(text),
});

describe('artifact stores', () => {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('keep files in a folder under unguessable ids until they expire', async () => {
    const directory = join(mkdtempSync(join(tmpdir(), 'botwire-artifacts-')), 'files');
    folders.push(directory);
    const store = directoryArtifactStore({ directory, ttlMs: 60_000 });
    const stored = await store.put(file('hello'), 'owner');
    expect(stored.id).toMatch(/^[\w-]{24}$/);
    const found = await store.get(stored.id);
    expect(new TextDecoder().decode(found!.data)).toBe('hello');
    expect(found!.meta).toMatchObject({ ownerKey: 'owner', size: 5, name: 'a.txt' });
    expect(await store.get('../../etc/passwd')).toBeUndefined();

    const expired = directoryArtifactStore({ directory, ttlMs: -1 });
    await expired.sweep();
    expect(readdirSync(directory)).toEqual([]);
  });

  it('drop the oldest files in memory past the byte limit', async () => {
    const store = memoryArtifactStore({ maxBytes: 10, ttlMs: 60_000 });
    const first = await store.put(file('123456'), 'owner');
    const second = await store.put(file('abcdef'), 'owner');
    expect(await store.get(first.id)).toBeUndefined();
    expect(await store.get(second.id)).toBeDefined();
  });
});
