import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Artifact } from '@botwire/core';

/** What is known about a stored file, without its bytes. */
export interface StoredArtifact {
  /** Unguessable: 144 random bits, base64url. */
  id: string;
  name: string;
  mimeType: string;
  size: number;
  /** Who may download it: `owner` or `invitation:<id>`. */
  ownerKey: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
}

/** Where the web chat keeps the files the bot sent until the user downloads them. */
export interface ArtifactStore {
  put(artifact: Artifact, ownerKey: string): Promise<StoredArtifact>;
  /** The file, or undefined when it is unknown or expired. */
  get(id: string): Promise<{ meta: StoredArtifact; data: Uint8Array } | undefined>;
  /** Forgets expired files. */
  sweep(): Promise<void>;
}

const idPattern = /^[A-Za-z0-9_-]{24}$/;

/** True for a string that could be an artifact id (so it is safe in a file name). */
export function isArtifactId(id: string): boolean {
  return idPattern.test(id);
}

function describe(artifact: Artifact, ownerKey: string): StoredArtifact {
  return {
    id: randomBytes(18).toString('base64url'),
    name: artifact.name,
    mimeType: artifact.mimeType || 'application/octet-stream',
    size: artifact.data.byteLength,
    ownerKey,
    createdAt: Date.now(),
  };
}

/** Keeps files in memory: the oldest are dropped past `maxBytes` or after `ttlMs`. */
export function memoryArtifactStore(options: { maxBytes: number; ttlMs: number }): ArtifactStore {
  const files = new Map<string, { meta: StoredArtifact; data: Uint8Array }>();
  let total = 0;
  const drop = (id: string) => {
    const file = files.get(id);
    if (!file) return;
    total -= file.meta.size;
    files.delete(id);
  };
  return {
    async put(artifact, ownerKey) {
      const meta = describe(artifact, ownerKey);
      for (const [id] of files) {
        if (total + meta.size <= options.maxBytes) break;
        drop(id);
      }
      files.set(meta.id, { meta, data: artifact.data.slice() });
      total += meta.size;
      return meta;
    },
    async get(id) {
      const file = files.get(id);
      if (!file) return undefined;
      if (Date.now() - file.meta.createdAt > options.ttlMs) {
        drop(id);
        return undefined;
      }
      return file;
    },
    async sweep() {
      for (const [id, file] of files)
        if (Date.now() - file.meta.createdAt > options.ttlMs) drop(id);
    },
  };
}

/** Keeps files in a folder (`<id>.bin` and `<id>.json`), so downloads survive a restart. */
export function directoryArtifactStore(options: {
  directory: string;
  ttlMs: number;
}): ArtifactStore {
  const { directory, ttlMs } = options;
  let ready: Promise<unknown> | undefined;
  const paths = (id: string) => ({
    meta: join(directory, `${id}.json`),
    data: join(directory, `${id}.bin`),
  });
  const remove = async (id: string) => {
    const { meta, data } = paths(id);
    await Promise.all([rm(meta, { force: true }), rm(data, { force: true })]);
  };
  const readMeta = async (id: string): Promise<StoredArtifact | undefined> => {
    try {
      return JSON.parse(await readFile(paths(id).meta, 'utf8')) as StoredArtifact;
    } catch {
      return undefined;
    }
  };
  return {
    async put(artifact, ownerKey) {
      ready ??= mkdir(directory, { recursive: true, mode: 0o700 });
      await ready;
      const meta = describe(artifact, ownerKey);
      const target = paths(meta.id);
      await writeFile(target.data, artifact.data, { mode: 0o600 });
      await writeFile(target.meta, JSON.stringify(meta), { mode: 0o600 });
      return meta;
    },
    async get(id) {
      if (!isArtifactId(id)) return undefined;
      const meta = await readMeta(id);
      if (!meta) return undefined;
      if (Date.now() - meta.createdAt > ttlMs) {
        await remove(id);
        return undefined;
      }
      try {
        return { meta, data: new Uint8Array(await readFile(paths(id).data)) };
      } catch {
        return undefined;
      }
    },
    async sweep() {
      let names: string[];
      try {
        names = await readdir(directory);
      } catch {
        return;
      }
      for (const name of names) {
        const id = name.replace(/\.json$/, '');
        if (id === name || !isArtifactId(id)) continue;
        const meta = await readMeta(id);
        if (!meta || Date.now() - meta.createdAt > ttlMs) await remove(id);
      }
    },
  };
}
