import type { BotContext, Button, OutgoingMessage } from '@botwire/core';
import { atLeast, buttonPrefix, type Desk } from '../desk';
import { text } from '../desk-text';
import type { Member } from '../directory';
import { BroadcastRunner, recipientMessage } from './broadcast-runner';
import {
  type Audience,
  audiences,
  type BroadcastRecord,
  BroadcastStore,
  inAudience,
  noCounts,
  reachable,
} from './broadcast-store';
import { type BroadcastKey, broadcastStrings } from './broadcast-strings';
import { Pacer, type PacerClock, systemClock } from './pacer';

export type {
  Audience,
  BroadcastCounts,
  BroadcastRecord,
  RecipientRecord,
  RecipientState,
} from './broadcast-store';

/** How long /broadcast waits for the text. */
const composeTtlMs = 10 * 60_000;
/** How often a broadcast another live process holds is checked again. */
const busyRetryMs = 1000;

/** Options of {@link BroadcastDesk} for tests. */
export interface BroadcastDeskOptions {
  /** The pacer's clock (default the real one). */
  clock?: PacerClock;
}

/**
 * Broadcast: `/broadcast` (moderators and admins) → the text → a preview with the audiences
 * (all, registered, by language, counted without those who opted out or blocked the bot, and
 * without the author) → Send → paced sending with a progress message and a report, resumed
 * after a restart by {@link start}. `/unsubscribe` and `/subscribe` for customers.
 */
export class BroadcastDesk {
  readonly store: BroadcastStore;
  private readonly pacer: Pacer;
  private controller = new AbortController();
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    readonly desk: Desk,
    private readonly options: BroadcastDeskOptions = {},
  ) {
    this.store = new BroadcastStore(desk.kv, desk.now);
    this.pacer = new Pacer(desk.options.broadcastPerSecond, options.clock ?? systemClock);
  }

  /** `/broadcast [text]`: refuses customers; asks for the text, or shows the preview at once. */
  async command(context: BotContext): Promise<void> {
    const locale = await this.localeFor(context);
    if (!atLeast(context.role, 'moderator')) {
      await context.reply(text(broadcastStrings, locale, 'refused'));
      return;
    }
    const body = context.command?.argument.trim() ?? '';
    if (!body) {
      await this.store.setComposing(context.user.id, composeTtlMs);
      await context.reply(text(broadcastStrings, locale, 'askText'));
      return;
    }
    await this.store.setComposing(context.user.id, 0);
    await this.createDraft(context, body);
  }

  /** The text after a bare `/broadcast` (or `/cancel`); false fast for anyone not composing. */
  async compose(context: BotContext): Promise<boolean> {
    if (context.message.kind !== 'message') return false;
    const composing = await this.store.composing(context.user.id);
    if (!composing) return false;
    const locale = await this.localeFor(context);
    const command = context.command?.name;
    if (command === 'cancel') {
      await this.store.setComposing(context.user.id, 0);
      await context.reply(text(broadcastStrings, locale, 'cancelled'));
      return true;
    }
    if (command) return false;
    if (!atLeast(context.role, 'moderator')) {
      await this.store.setComposing(context.user.id, 0);
      return false;
    }
    const body = context.text.trim();
    if (!body) {
      await context.reply(text(broadcastStrings, locale, 'emptyText'));
      return true;
    }
    await this.store.setComposing(context.user.id, 0);
    await this.createDraft(context, body);
    return true;
  }

  /** `bank:broadcast:<action>:<id>[:<arg>]`: audience, back, send, cancel. */
  async press(context: BotContext, data: string): Promise<void> {
    const [, action = '', id = '', arg = ''] = data.slice(buttonPrefix.length).split(':');
    const locale = await this.localeFor(context);
    const say = (key: BroadcastKey) => context.reply(text(broadcastStrings, locale, key));
    if (!atLeast(context.role, 'moderator')) return void (await say('refused'));
    const record = await this.store.get(id);
    if (record?.state !== 'draft') return void (await say('gone'));
    if (record.authorId !== context.user.id) return void (await say('notAuthor'));
    if (action === 'aud' && (audiences as readonly string[]).includes(arg)) {
      const audience = arg as Audience;
      const { eligible } = await this.audience(record, audience);
      record.audience = audience;
      await this.store.save(record);
      await this.showDraft(context, record, eligible.length === 0 ? 'nobody' : 'confirm');
    } else if (action === 'back') {
      await this.showDraft(context, record, 'chooseAudience');
    } else if (action === 'cancel') {
      await this.store.save({ ...record, state: 'cancelled', finishedAt: this.desk.now() });
      await this.desk.record(context, 'broadcast.cancel', record.id);
      await say('cancelled');
    } else if (action === 'send' && record.audience) {
      await this.startSending(context, record, record.audience);
    }
  }

  /** `/unsubscribe` (true) or `/subscribe` (false): sets or clears the member's opt-out. */
  async optOut(context: BotContext, out: boolean): Promise<void> {
    const member = await this.desk.directory.get(context.user.id);
    if (member) await this.desk.directory.update(member.userId, { optedOut: out });
    const locale = this.desk.localeOf(member, context.locale);
    await context.reply(text(broadcastStrings, locale, out ? 'optedOut' : 'optedIn'));
  }

  /** Resumes every broadcast left `sending` (or done without its report) by a stop or a crash. */
  async start(): Promise<void> {
    this.controller = new AbortController();
    for (const record of await this.store.list()) {
      if (record.state === 'sending' || (record.state === 'done' && !record.reportedAt))
        this.launch(record.id);
    }
  }

  /** Stops sending: the send in flight finishes, the broadcasts stay `sending`, leases are released. */
  async stop(): Promise<void> {
    this.controller.abort();
    await Promise.all(this.running.values());
  }

  /** The newest broadcasts first (for the admin panel). */
  async history(limit = 10): Promise<BroadcastRecord[]> {
    return (await this.store.list()).reverse().slice(0, limit);
  }

  /** Waits until every broadcast this process sends now is done or stopped (for tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running.values());
  }

  private async localeFor(context: BotContext): Promise<'ru' | 'en'> {
    return this.desk.localeOf(await this.desk.directory.get(context.user.id), context.locale);
  }

  private async createDraft(context: BotContext, body: string): Promise<void> {
    const record = await this.store.create(context.user.id, body);
    await this.desk.record(context, 'broadcast.create', record.id, { length: body.length });
    await this.showDraft(context, record, 'chooseAudience');
  }

  /** Members of the audience but the author: who would get it now, and who is left out. */
  private async audience(record: BroadcastRecord, audience: Audience) {
    const members = (await this.desk.directory.list()).filter(
      (member) => member.userId !== record.authorId && inAudience(member, audience),
    );
    const eligible = members.filter(reachable);
    return { eligible, skipped: members.length - eligible.length };
  }

  /** The preview with the audience buttons, or with the confirm step; edited in place after the first. */
  private async showDraft(
    context: BotContext,
    record: BroadcastRecord,
    step: 'chooseAudience' | 'confirm' | 'nobody',
  ): Promise<void> {
    const author = await this.desk.directory.get(context.user.id);
    const locale = this.desk.localeOf(author, context.locale);
    const t = (key: BroadcastKey, params?: Record<string, string | number>) =>
      text(broadcastStrings, locale, key, params);
    const data = (action: string, arg?: string) =>
      `${buttonPrefix}broadcast:${action}:${record.id}${arg ? `:${arg}` : ''}`;
    const body = recipientMessage(this.desk, record.text, author).text;
    const lines = [t('preview', { body })];
    let buttons: Button[][];
    if (step === 'confirm' && record.audience) {
      const count = (await this.audience(record, record.audience)).eligible.length;
      lines.push(t('confirm', { audience: t(`audience.${record.audience}`), count }));
      buttons = [
        [{ label: t('button.send', { count }), data: data('send') }],
        [
          { label: t('button.back'), data: data('back') },
          { label: t('button.cancel'), data: data('cancel') },
        ],
      ];
    } else {
      const members = (await this.desk.directory.list()).filter(
        (member) => member.userId !== record.authorId && reachable(member),
      );
      const label = (audience: Audience) => ({
        label: t(`button.${audience}`, {
          count: members.filter((member) => inAudience(member, audience)).length,
        }),
        data: data('aud', audience),
      });
      lines.push(t(step === 'nobody' ? 'nobody' : 'chooseAudience'));
      buttons = [
        [label('all'), label('registered')],
        [label('ru'), label('en')],
        [{ label: t('button.cancel'), data: data('cancel') }],
      ];
    }
    const message: OutgoingMessage = { text: lines.join('\n\n'), buttons };
    if (record.previewMessageId && author) {
      // The messenger may refuse to edit (a message too old): then the step comes as a new one.
      const shown = await this.desk
        .edit(author, record.previewMessageId, message)
        .catch(() => undefined);
      if (shown === record.previewMessageId) return;
      record.previewMessageId = shown ?? (await context.reply(message)).platformMessageIds.at(-1);
    } else {
      const sent = await context.reply(message);
      record.previewMessageId = sent.platformMessageIds.at(-1);
    }
    await this.store.save(record);
  }

  /** Send: snapshots the recipients, marks the broadcast `sending` and starts the runner. */
  private async startSending(context: BotContext, record: BroadcastRecord, audience: Audience) {
    if (!(await this.store.claimStart(record.id))) return;
    const { eligible, skipped } = await this.audience(record, audience);
    await this.store.snapshot(
      record.id,
      eligible.map((member: Member) => member.userId),
    );
    const sending: BroadcastRecord = {
      ...record,
      state: 'sending',
      audience,
      total: eligible.length,
      skippedBefore: skipped,
      counts: { ...noCounts(), skipped },
      startedAt: this.desk.now(),
    };
    await this.store.save(sending);
    await this.desk.record(context, 'broadcast.send', record.id, {
      audience,
      total: eligible.length,
    });
    this.launch(record.id);
  }

  /** Runs a broadcast in the background; while another process holds it, tries again. */
  private launch(id: string): void {
    if (this.running.has(id)) return;
    const { signal } = this.controller;
    const run = async () => {
      while (!signal.aborted) {
        const runner = new BroadcastRunner(
          { desk: this.desk, store: this.store, pacer: this.pacer, signal },
          id,
        );
        const outcome = await runner.run();
        if (outcome !== 'busy') return;
        await abortableSleep(busyRetryMs, signal, this.options.clock ?? systemClock);
      }
    };
    const promise = run()
      .catch((error: unknown) =>
        this.desk.services.log.error('broadcast-failed', { broadcast: id, error }),
      )
      .finally(() => this.running.delete(id));
    this.running.set(id, promise);
  }
}

/** Sleeps, ending early when the signal aborts. */
function abortableSleep(ms: number, signal: AbortSignal, clock: PacerClock): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    void clock.sleep(ms).then(done);
  });
}
