import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  type BotContext,
  type BotServices,
  CreditLedger,
  type ImageGenerator,
  type JobQueue,
  type JobRun,
  readBodyText,
  storedZip,
  type TrainingKind,
  type TrainingStatus,
} from '@botwire/core';
import {
  type AvatarRecord,
  AvatarStore,
  avatarsNamespace,
  newAvatarId,
} from '../avatars/avatar-records';
import { studioConfig } from '../credits/studio-config';
import { PhotoUploads } from './photo-uploads';
import type { StudioSettings } from './studio-options';
import { type StudioStringKey, studioText } from './studio-strings';

/** The job that asks the provider where a training is, and tells the user when it ended. */
export const trainingCheckJob = 'avatars.training-check';

/** The webhook path (the token follows it). */
export const webhookPath = '/webhooks/avatars';

/** The word a personal model knows its person by. */
const triggerWord = 'TOK';

/** A training the studio still has work for: asking its status, or telling its user. */
interface OpenTraining {
  userId: string;
  avatarId: string;
  /** The queued check, so a restart adds one only when it is gone. */
  checkJob?: string;
}

/** How long an avatar may sit without a job id before it counts as never submitted. */
const submitGraceMs = 10 * 60_000;
const activeStates = new Set(['queued', 'running', 'retrying']);

/**
 * The studio's training work: submits a user's kept photos as a zip to the image generator's
 * trainer (charging the price once, refunding when the provider refuses), follows each job by
 * polling on the bot's job queue and through the provider's webhook, and tells the user when
 * the avatar is ready or failed (refunding a failure). Everything it needs to go on is in
 * storage, so a restart at any point loses no training and no news.
 */
export class AvatarTraining {
  readonly store: AvatarStore;
  readonly uploads: PhotoUploads;
  readonly ledger: CreditLedger;
  private webhookToken: string | undefined;

  constructor(
    private readonly services: BotServices,
    readonly settings: StudioSettings,
  ) {
    this.store = new AvatarStore(services.storage.kv);
    this.uploads = new PhotoUploads(services.storage.kv);
    this.ledger = new CreditLedger(services.storage.kv);
  }

  /** The bot's image generator. */
  get images(): ImageGenerator | undefined {
    return this.services.images?.();
  }

  /** True when the image generator can train personal models. */
  get canTrain(): boolean {
    const images = this.images;
    return Boolean(images?.train && images.trainingStatus);
  }

  /** Credits one training costs: the option, else the avatars skill's `prices.training`. */
  price(): number {
    if (this.settings.trainingPrice !== undefined) return this.settings.trainingPrice;
    const skill = this.services.skills.skills.find((each) => each.manifest.name === 'avatars');
    return studioConfig(skill?.config ?? {}).prices.training;
  }

  /** The webhook address the provider is given, when the bot has a public address. */
  webhookUrl(): string | undefined {
    if (!this.settings.publicUrl || !this.webhookToken || !this.images?.parseWebhook)
      return undefined;
    return `${this.settings.publicUrl}${webhookPath}/${this.webhookToken}`;
  }

  /**
   * Registers the check job, mounts the webhook (when the generator reads webhooks) and queues
   * a check for every training left open by an earlier run.
   */
  async start(): Promise<void> {
    const queue = this.queue();
    queue.process(trainingCheckJob, (run) => this.check(run));
    if (this.images?.parseWebhook && this.services.http) {
      const kv = this.services.storage.kv;
      await kv.add(avatarsNamespace, 'webhook-token', randomBytes(24).toString('hex'));
      this.webhookToken = await kv.get<string>(avatarsNamespace, 'webhook-token');
      if (this.webhookToken) this.services.hideSecret?.(this.webhookToken);
      const routes = this.services.http();
      routes.mount(`${webhookPath}/:token`, (request) => this.webhook(request));
      if (!this.settings.publicUrl)
        this.services.log.info('avatars-webhook-unused', {
          hint: 'set BOTWIRE_PUBLIC_URL (or publicUrl) so the image provider can report trainings; until then they are polled',
        });
    }
    const open = await this.services.storage.kv.list<OpenTraining>(avatarsNamespace, {
      prefix: 'training:',
      limit: 10_000,
    });
    // Each open training is checked at once: a webhook sent while no bot ran was missed. The
    // check queued before takes its place (and one another process queued is left as a stray).
    for (const { value } of open) {
      const job = value.checkJob ? await queue.get(value.checkJob) : undefined;
      if (job && activeStates.has(job.state) && job.state !== 'running')
        await queue.cancel(job.id).catch(() => false);
      await this.scheduleCheck(value, 0);
    }
    if (open.length) this.services.log.info('avatars-trainings-resumed', { count: open.length });
  }

  /**
   * Trains an avatar on the user's kept photos: charges the price (once, keyed by the new
   * avatar), submits the zip, and queues the first check. A short balance or a refused
   * submission keeps the photos for another try.
   */
  async submit(context: BotContext, kind: TrainingKind): Promise<void> {
    const images = this.images;
    const locale = context.locale;
    const say = (key: StudioStringKey, params?: Record<string, string | number>) =>
      context.reply(studioText(locale, key, params));
    if (!images?.train || !images.trainingStatus) {
      await say('studio.no_training');
      return;
    }
    const user = context.user;
    const photos = await this.uploads.read(user.id);
    if (photos.length < this.settings.minPhotos) {
      await say('studio.need_more', { min: this.settings.minPhotos, count: photos.length });
      return;
    }
    const price = this.price();
    const id = newAvatarId();
    const chargeKey = `avatar-training:${id}`;
    let balance = await this.ledger.balance(user.id);
    if (price > 0) {
      const paid = await this.ledger.charge({
        userId: user.id,
        amount: price,
        operation: 'avatar.train',
        key: chargeKey,
      });
      if (!paid.charged) {
        await say('studio.insufficient', { price, balance: paid.balance });
        return;
      }
      balance = paid.balance;
    }
    const chat = context.chat;
    const record: AvatarRecord = {
      id,
      userId: user.id,
      kind,
      status: 'training',
      triggerWord,
      provider: images.name,
      photos: photos.length,
      credits: price,
      chargeKey,
      chat: {
        adapter: context.adapter.name,
        platformId: context.message.chat.platformId,
        chatId: chat.id,
        type: chat.type,
      },
      locale,
      createdAt: Date.now(),
    };
    // Saved before the provider is called: a crash now leaves a record the checks settle.
    await this.store.save(record);
    await this.openTraining({ userId: user.id, avatarId: id });
    const archive = storedZip(
      photos.map(({ photo, data }, index) => ({
        name: `photo-${String(index + 1).padStart(2, '0')}.${photo.format === 'jpeg' ? 'jpg' : photo.format}`,
        data,
      })),
    );
    const webhookUrl = this.webhookUrl();
    try {
      const { jobId } = await images.train({
        archive,
        kind,
        triggerWord,
        ...(webhookUrl ? { webhookUrl } : {}),
      });
      record.jobId = jobId;
      await this.store.indexJob(jobId, record);
      await this.store.save(record);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      context.log.warn('avatar-training-refused', { error: reason });
      if (price > 0) await this.ledger.refund(chargeKey);
      await this.store.save({ ...record, status: 'failed', error: reason, finishedAt: Date.now() });
      await this.closeTraining(id);
      await say('studio.submit_failed', { error: reason, price });
      return;
    }
    await this.uploads.clear(user.id);
    await this.scheduleCheck({ userId: user.id, avatarId: id }, this.settings.pollMs);
    context.log.info('avatar-training-started', {
      avatar: id,
      provider: images.name,
      photos: photos.length,
    });
    await say('studio.started', { count: photos.length, price, balance });
  }

  /** One check of a training: its status from the provider, then the next check or the end. */
  private async check(run: JobRun): Promise<void> {
    const { userId, avatarId } = run.job.data as { userId: string; avatarId: string };
    const open = await this.services.storage.kv.get<OpenTraining>(
      avatarsNamespace,
      `training:${avatarId}`,
    );
    // A check another one has replaced (a restart queued a new one): that one goes on.
    if (open?.checkJob && open.checkJob !== run.job.id) return;
    const record = await this.store.get(userId, avatarId);
    if (!record) {
      await this.closeTraining(avatarId);
      return;
    }
    if (record.status !== 'training') {
      await this.tell(record);
      return;
    }
    const age = Date.now() - record.createdAt;
    if (!record.jobId) {
      if (age > submitGraceMs)
        return this.settle(record, {
          state: 'failed',
          error: studioText(record.locale, 'studio.lost'),
        });
      return this.scheduleCheck({ userId, avatarId }, this.settings.pollMs);
    }
    if (age > this.settings.trainingTimeoutMs) {
      const minutes = Math.round(this.settings.trainingTimeoutMs / 60_000);
      return this.settle(record, {
        state: 'failed',
        error: studioText(record.locale, 'studio.timed_out', { minutes }),
      });
    }
    let status: TrainingStatus;
    try {
      const images = this.images;
      if (!images?.trainingStatus) throw new Error('the image generator cannot train any more');
      status = await images.trainingStatus(record.jobId, { signal: run.signal });
    } catch (error) {
      // The provider is down or slow: ask again at the next check.
      this.services.log.warn('avatar-training-status-failed', { avatar: avatarId, error });
      return this.scheduleCheck({ userId, avatarId }, this.settings.pollMs);
    }
    if (status.state === 'completed' || status.state === 'failed')
      return this.settle(record, status);
    await this.progress(record, status.state);
    return this.scheduleCheck({ userId, avatarId }, this.settings.pollMs);
  }

  /** Reads the provider's webhook call about a training and settles the avatar it names. */
  private async webhook(request: Request): Promise<Response> {
    if (request.method !== 'POST') return new Response('POST only', { status: 405 });
    const given = new URL(request.url).pathname.split('/').at(-1) ?? '';
    if (!this.webhookToken || !sameToken(given, this.webhookToken))
      return new Response('not found', { status: 404 });
    const text = await readBodyText(request, 1024 * 1024);
    if (text === undefined) return new Response('too large', { status: 413 });
    const images = this.images;
    let update: ReturnType<NonNullable<ImageGenerator['parseWebhook']>>;
    try {
      update = images!.parseWebhook!(JSON.parse(text));
    } catch (error) {
      return Response.json(
        { error: error instanceof Error ? error.message : 'not a webhook call' },
        { status: 400 },
      );
    }
    const record = await this.store.byJob(images!.name, update.jobId);
    if (!record) {
      this.services.log.warn('avatars-webhook-unknown-job', { job: update.jobId });
      return Response.json({ ok: true, known: false });
    }
    if (update.status.state === 'completed' || update.status.state === 'failed')
      await this.settle(record, update.status);
    else if (record.status === 'training') await this.progress(record, update.status.state);
    return Response.json({ ok: true });
  }

  /** Ends a training: ready with its model, or failed with the credits back; then the news. */
  private async settle(
    record: AvatarRecord,
    status: Extract<TrainingStatus, { state: 'completed' | 'failed' }>,
  ): Promise<void> {
    const fresh = (await this.store.get(record.userId, record.id)) ?? record;
    if (fresh.status === 'training') {
      if (status.state === 'completed') {
        fresh.status = 'ready';
        fresh.model = status.model;
      } else {
        if (fresh.credits > 0) await this.ledger.refund(fresh.chargeKey);
        fresh.status = 'failed';
        fresh.error = status.error;
      }
      fresh.finishedAt = Date.now();
      await this.store.save(fresh);
      this.services.log.info('avatar-training-ended', { avatar: fresh.id, status: fresh.status });
    }
    await this.tell(fresh);
  }

  /**
   * Tells the user their avatar is ready or failed, once (a claim in storage), in the chat it
   * was started in. When the messenger is not running the claim is let go, the training stays
   * open, and the next check tries again.
   */
  private async tell(record: AvatarRecord): Promise<void> {
    const kv = this.services.storage.kv;
    if (!(await kv.add(avatarsNamespace, `told:${record.id}`, Date.now()))) {
      await this.closeTraining(record.id);
      return;
    }
    try {
      const number = await this.numberOf(record);
      const kind = studioText(record.locale, `studio.kind.${record.kind}` as StudioStringKey);
      await this.send(
        record,
        record.status === 'ready'
          ? studioText(record.locale, 'studio.ready', { number, kind })
          : studioText(record.locale, 'studio.failed', {
              number,
              error: record.error ?? '?',
              credits: record.credits,
            }),
      );
    } catch (error) {
      await kv.delete(avatarsNamespace, `told:${record.id}`);
      this.services.log.warn('avatar-news-failed', { avatar: record.id, error });
      await this.scheduleCheck(
        { userId: record.userId, avatarId: record.id },
        this.settings.pollMs,
      );
      return;
    }
    await this.closeTraining(record.id);
  }

  /** Sends a text to the chat the avatar was started in (recorded in its history). */
  private async send(record: AvatarRecord, text: string): Promise<void> {
    const adapter = this.services.adapter(record.chat.adapter);
    if (!adapter) throw new Error(`the ${record.chat.adapter} adapter is not running`);
    await this.services.deliver(
      adapter,
      { platformId: record.chat.platformId, type: record.chat.type },
      { text },
      { chatId: record.chat.chatId },
    );
  }

  /** The avatar's number in the user's gallery (1 for the oldest). */
  private async numberOf(record: AvatarRecord): Promise<number> {
    return (await this.store.list(record.userId)).findIndex((each) => each.id === record.id) + 1;
  }

  /**
   * Keeps where the provider says a training is (for /avatars), and tells the user once when it
   * leaves the queue and runs. A message that cannot be sent is not tried again.
   */
  private async progress(record: AvatarRecord, state: 'queued' | 'running'): Promise<void> {
    if (record.progress === state) return;
    const fresh = await this.store.get(record.userId, record.id);
    if (fresh?.status !== 'training' || fresh.progress === state) return;
    await this.store.save({ ...fresh, progress: state });
    if (state !== 'running') return;
    if (!(await this.services.storage.kv.add(avatarsNamespace, `running:${record.id}`, Date.now())))
      return;
    try {
      const number = await this.numberOf(fresh);
      await this.send(fresh, studioText(fresh.locale, 'studio.running', { number }));
    } catch (error) {
      this.services.log.warn('avatar-progress-news-failed', { avatar: record.id, error });
    }
  }

  private queue(): JobQueue {
    const queue = this.services.jobs?.();
    if (!queue) throw new Error('avatarStudio needs the bot’s job queue (services.jobs).');
    return queue;
  }

  private async openTraining(training: OpenTraining): Promise<void> {
    await this.services.storage.kv.set(avatarsNamespace, `training:${training.avatarId}`, training);
  }

  private async closeTraining(avatarId: string): Promise<void> {
    await this.services.storage.kv.delete(avatarsNamespace, `training:${avatarId}`);
  }

  private async scheduleCheck(training: OpenTraining, delayMs: number): Promise<void> {
    const job = await this.queue().add({
      name: trainingCheckJob,
      data: { userId: training.userId, avatarId: training.avatarId },
      runAt: new Date(Date.now() + delayMs),
    });
    await this.openTraining({ ...training, checkJob: job.id });
  }
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
