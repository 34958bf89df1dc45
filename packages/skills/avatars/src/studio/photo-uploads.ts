import type { KeyValueStore } from '@botwire/core';
import { userNamespace } from '../avatars/avatar-records';
import type { AcceptedPhoto } from '../photos/check-photo';

const listKey = 'uploads';
const photoKey = (sha256: string) => `upload:${sha256}`;

/**
 * The photos a user sent for their next avatar, kept in storage (not in the conversation's
 * state, which stays small) until the training is submitted: a restart, a timed-out
 * conversation or a short balance loses none of them; /cancel deletes them.
 */
export class PhotoUploads {
  constructor(private readonly kv: KeyValueStore) {}

  /** The accepted photos, in the order they came. */
  async list(userId: string): Promise<AcceptedPhoto[]> {
    return (await this.kv.get<AcceptedPhoto[]>(userNamespace(userId), listKey)) ?? [];
  }

  /** Keeps a checked photo (its bytes first, then the list that names it). */
  async add(userId: string, photo: AcceptedPhoto, data: Uint8Array): Promise<AcceptedPhoto[]> {
    const namespace = userNamespace(userId);
    await this.kv.set(namespace, photoKey(photo.sha256), Buffer.from(data).toString('base64'));
    const photos = [...(await this.list(userId)), photo];
    await this.kv.set(namespace, listKey, photos);
    return photos;
  }

  /** The bytes of the kept photos, in order; a photo whose bytes are gone is left out. */
  async read(userId: string): Promise<Array<{ photo: AcceptedPhoto; data: Uint8Array }>> {
    const namespace = userNamespace(userId);
    const read: Array<{ photo: AcceptedPhoto; data: Uint8Array }> = [];
    for (const photo of await this.list(userId)) {
      const base64 = await this.kv.get<string>(namespace, photoKey(photo.sha256));
      if (base64) read.push({ photo, data: new Uint8Array(Buffer.from(base64, 'base64')) });
    }
    return read;
  }

  /** Deletes every kept photo of the user. */
  async clear(userId: string): Promise<void> {
    const namespace = userNamespace(userId);
    const photos = await this.list(userId);
    await this.kv.delete(namespace, listKey);
    for (const photo of photos) await this.kv.delete(namespace, photoKey(photo.sha256));
  }
}
