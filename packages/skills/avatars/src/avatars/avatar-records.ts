import { type KeyValueStore, skillNamespace, type TrainingKind } from '@botwire/core';

/** Where an avatar is in its life. */
export type AvatarStatus = 'training' | 'ready' | 'failed';

/** The chat an avatar's news go to (where its training was started). */
export interface AvatarChat {
  /** The adapter's name (`telegram`). */
  adapter: string;
  /** The messenger's id of the chat. */
  platformId: string;
  /** Botwire's id of the chat, to record the news in its history. */
  chatId: string;
  type: 'private' | 'group';
}

/** One personal avatar of a user: a model trained on their photos. */
export interface AvatarRecord {
  /** `av_` and a sortable id: avatars list in the order they were made. */
  id: string;
  userId: string;
  kind: TrainingKind;
  status: AvatarStatus;
  /** The word prompts use for the person. */
  triggerWord: string;
  /** The image generator that trains it (`fal`, `preview`). */
  provider: string;
  /** The provider's training job, once submitted. */
  jobId?: string;
  /** Where the provider last said the training is, while it trains. */
  progress?: 'queued' | 'running';
  /** The provider's model (its weights), once ready. */
  model?: string;
  /** How many photos it was trained on. */
  photos: number;
  /** Credits charged for the training (given back when it fails). */
  credits: number;
  /** The ledger key of the charge. */
  chargeKey: string;
  chat: AvatarChat;
  /** The user's language when it was started, for the news. */
  locale: string;
  createdAt: number;
  finishedAt?: number;
  /** Why it failed. */
  error?: string;
}

/** The skill's shared namespace (webhook token, job index, finish claims). */
export const avatarsNamespace = skillNamespace('avatars');

/** The skill's namespace for one user: the same one its tools see as `context.userStorage`. */
export const userNamespace = (userId: string): string => skillNamespace('avatars', userId);

const avatarPrefix = 'avatar:';

/** A new avatar id: sortable by creation time, unique. */
export function newAvatarId(now: number = Date.now()): string {
  const random = Math.floor(Math.random() * 36 ** 6)
    .toString(36)
    .padStart(6, '0');
  return `av_${now.toString(36).padStart(9, '0')}${random}`;
}

/**
 * A user's avatars in storage, and the index from a provider's job to its avatar (a webhook
 * names only the job).
 */
export class AvatarStore {
  constructor(private readonly kv: KeyValueStore) {}

  /** The user's avatars, oldest first. */
  async list(userId: string): Promise<AvatarRecord[]> {
    const entries = await this.kv.list<AvatarRecord>(userNamespace(userId), {
      prefix: avatarPrefix,
      limit: 1000,
    });
    return entries.map((entry) => entry.value);
  }

  async get(userId: string, id: string): Promise<AvatarRecord | undefined> {
    return this.kv.get<AvatarRecord>(userNamespace(userId), avatarPrefix + id);
  }

  async save(record: AvatarRecord): Promise<void> {
    await this.kv.set(userNamespace(record.userId), avatarPrefix + record.id, record);
  }

  /** Remembers which avatar a provider's job trains. */
  async indexJob(jobId: string, record: AvatarRecord): Promise<void> {
    await this.kv.set(avatarsNamespace, `job:${record.provider}:${jobId}`, {
      userId: record.userId,
      avatarId: record.id,
    });
  }

  /** The avatar a provider's job trains. */
  async byJob(provider: string, jobId: string): Promise<AvatarRecord | undefined> {
    const ref = await this.kv.get<{ userId: string; avatarId: string }>(
      avatarsNamespace,
      `job:${provider}:${jobId}`,
    );
    return ref ? this.get(ref.userId, ref.avatarId) : undefined;
  }

  /**
   * Claims the right to finish an avatar: true once, for the first caller in any process (a
   * webhook and a poll may learn of the end at the same moment).
   */
  claimFinish(id: string): Promise<boolean> {
    return this.kv.add(avatarsNamespace, `finished:${id}`, Date.now());
  }
}

/** A user's avatars read from the skill's per-user storage (`context.userStorage`), oldest first. */
export async function avatarsIn(userStorage: {
  list<T>(options?: { prefix?: string; limit?: number }): Promise<Array<{ value: T }>>;
}): Promise<AvatarRecord[]> {
  const entries = await userStorage.list<AvatarRecord>({ prefix: avatarPrefix, limit: 1000 });
  return entries.map((entry) => entry.value);
}
