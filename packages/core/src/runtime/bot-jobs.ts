import { BotwireError } from '../errors/botwire-error';
import type { Logger } from '../logging/logger';
import { type ChatRef, type IncomingMessage, parseCommand } from '../messages/incoming-message';
import type { OutgoingMessage, SentMessage } from '../messages/outgoing-message';
import type { Plan } from '../planner/plan';
import type { Adapter } from '../ports/adapter';
import type { ReadinessCheck } from '../ports/http-routes';
import type { JobQueue, JobRecord, JobRun } from '../ports/job-queue';
import type { ChatRecord, StorageDriver, UserRecord } from '../ports/storage';
import type { ToolScheduler } from '../skills/define-skill';

/** The job that sends a reminder's text to the chat it was set in. */
export const reminderJobName = 'botwire.reminder';

/**
 * The job that runs a task as if its user had sent it: background work (with the plan made when
 * it was asked for) or a scheduled task ("каждый день в 9:00 курс валют и погода").
 */
export const taskJobName = 'botwire.task';

/** The chat a job reports to. */
interface JobChat {
  id: string;
  platform: string;
  platformId: string;
  type: 'private' | 'group';
}

/** What a reminder job carries. */
interface ReminderData {
  text: string;
  skill: string;
  userId: string;
  chat: JobChat;
}

/** What a task job carries. */
interface TaskData {
  kind: 'background' | 'scheduled';
  /** The message to run, as the user would send it. */
  text: string;
  /** What `/jobs` shows. */
  label: string;
  userId: string;
  chat: JobChat;
  /** The skill that scheduled it (scheduled tasks). */
  skill?: string;
  /** Background work: the plan made when it was asked for. */
  plan?: Plan;
}

/** Where the marks of reminders being sent are kept (see {@link BotJobs.deliverReminder}). */
const sentNamespace = 'jobs:sent';
/** How long such a mark is kept: longer than any retry of the occurrence takes. */
const sentMarkTtlMs = 7 * 86_400_000;

/** How many characters of a task `/jobs` shows. */
const labelLength = 80;

function jobChat(chat: ChatRecord): JobChat {
  return {
    id: chat.id,
    platform: chat.identity.platform,
    platformId: chat.identity.platformId,
    type: chat.type,
  };
}

function labelOf(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > labelLength ? `${line.slice(0, labelLength - 1)}…` : line;
}

/** What {@link BotJobs} needs from the bot. */
export interface BotJobsDeps {
  adapter(name: string): Adapter | undefined;
  deliver(
    adapter: Adapter,
    chat: ChatRef,
    message: OutgoingMessage,
    options: { chatId: string; onWrite?: () => void },
  ): Promise<SentMessage>;
  /** Runs a message through the bot's chain, in the order of its chat. */
  receive(adapter: Adapter, message: IncomingMessage): Promise<void>;
  storage(): StorageDriver;
  log: Logger;
}

/**
 * The bot's side of the job queue: the handler that delivers reminders to their chat (on the
 * adapter they were set on), the per-user scheduler tools get as `context.schedule`, and the
 * queue's `/ready` check and `/metrics` lines.
 */
export class BotJobs {
  constructor(
    readonly queue: JobQueue,
    private readonly deps: BotJobsDeps,
  ) {}

  /** Registers the reminder handler; call before the queue starts. */
  register(): void {
    this.queue.process(reminderJobName, (run) => this.deliverReminder(run));
    this.queue.process(taskJobName, (run) => this.runTask(run));
  }

  /** Queues background work for a user in a chat; see {@link BotServices.queueTask}. */
  queueTask(
    work: { text: string; user: UserRecord; chat: ChatRecord },
    plan: Plan | undefined,
  ): Promise<JobRecord> {
    const data: TaskData = {
      kind: 'background',
      text: work.text,
      label: labelOf(work.text),
      userId: work.user.id,
      chat: jobChat(work.chat),
      ...(plan ? { plan } : {}),
    };
    return this.queue.add({
      name: taskJobName,
      data: data as unknown as Record<string, unknown>,
      owner: work.user.id,
      // A crash in the middle runs it once more; a failure the chain reports is the result.
      attempts: 2,
    });
  }

  /** Runs a task job's message through the chain as its user, on the messenger it came from. */
  private async runTask(run: JobRun): Promise<void> {
    const data = run.job.data as unknown as TaskData;
    const adapter = this.adapterFor(data.chat.platform, 'task');
    const user = await this.deps.storage().users.get(data.userId);
    const identity = user?.identities.find(
      (candidate) => candidate.platform === data.chat.platform,
    );
    if (!user || !identity) {
      this.deps.log.warn('job-user-gone', { job: run.job.id, user: data.userId });
      return;
    }
    const command = parseCommand(data.text);
    const message: IncomingMessage = {
      platform: data.chat.platform,
      platformMessageId: `job:${run.occurrenceId}:${run.attempt}`,
      sender: {
        platformId: identity.platformId,
        ...(user.name ? { name: user.name } : {}),
        ...(user.locale ? { locale: user.locale } : {}),
      },
      chat: { platformId: data.chat.platformId, type: data.chat.type },
      kind: 'message',
      text: data.text,
      ...(command ? { command } : {}),
      attachments: [],
      sentAt: run.due,
      job: { id: run.job.id, kind: data.kind, ...(data.plan ? { plan: data.plan } : {}) },
    };
    const started = Date.now();
    await this.deps.receive(adapter, message);
    this.deps.log.info('task-finished', {
      job: run.job.id,
      kind: data.kind,
      user: data.userId,
      ms: Date.now() - started,
      lateMs: run.lateMs,
    });
  }

  /** The adapter a job reports on; another process may run it, so the retry may land there. */
  private adapterFor(platform: string, what: string): Adapter {
    const adapter = this.deps.adapter(platform);
    if (adapter) return adapter;
    throw new BotwireError('BOTWIRE_ADAPTER_NOT_FOUND', {
      message: `The ${what} is for a chat on ${platform}, which this process does not run.`,
    });
  }

  /**
   * Sends a reminder once, also when the process is killed while sending. Its occurrence is
   * noted in storage, and a try after a crash that finds the note does not send again. When
   * the note is written depends on the adapter:
   * - one that reports its writes (`reportsWrites`): in the very step that hands the message to
   *   the operating system (right before the write, or right after), committed at once. A kill
   *   before that step leaves no note, so the next try sends; only a kill inside the step can
   *   lose the reminder (a note before the write) or repeat it (a note after);
   * - any other: just before the send (one group commit earlier), so a kill between the note
   *   and the request loses the reminder.
   * A send that fails takes the note back, so its retry sends.
   */
  private async deliverReminder(run: JobRun): Promise<void> {
    const data = run.job.data as unknown as ReminderData;
    const adapter = this.adapterFor(data.chat.platform, 'reminder');
    const storage = this.deps.storage();
    const reports = adapter.capabilities.reportsWrites === true;
    const key = `sending:${run.occurrenceId}`;
    const notSent = reports
      ? (await storage.kv.get(sentNamespace, key)) === undefined
      : await storage.kv.add(sentNamespace, key, { at: Date.now() }, { ttlMs: sentMarkTtlMs });
    if (!notSent) {
      this.deps.log.warn('reminder-not-resent', {
        job: run.job.id,
        occurrence: run.occurrenceId,
        attempt: run.attempt,
      });
      return;
    }
    let noted: Promise<void> | undefined;
    // Without its note, a crash before the job is done sends the reminder again.
    const noteFailed = (error: unknown) =>
      this.deps.log.warn('reminder-note-failed', { occurrence: run.occurrenceId, error });
    const note = () => {
      if (noted || !reports) return;
      // Runs inside the adapter's write (for Telegram, inside Node's HTTP client): never throws.
      try {
        noted = storage.kv
          .set(sentNamespace, key, { at: Date.now() }, { ttlMs: sentMarkTtlMs })
          .catch(noteFailed);
        storage.flush?.();
      } catch (error) {
        noteFailed(error);
        noted ??= Promise.resolve();
      }
    };
    try {
      await this.deps.deliver(
        adapter,
        { platformId: data.chat.platformId, type: data.chat.type },
        { text: data.text },
        { chatId: data.chat.id, ...(reports ? { onWrite: note } : {}) },
      );
    } catch (error) {
      await noted;
      await storage.kv.delete(sentNamespace, key);
      throw error;
    }
    // Sent without a report (a request the adapter could not watch): noted now.
    note();
    await noted;
    this.deps.log.info('reminder-delivered', {
      job: run.job.id,
      user: data.userId,
      lateMs: run.lateMs,
      caughtUp: run.caughtUp,
    });
  }

  /** The scheduler a tool of `skill` gets for this user and chat. */
  scheduler(user: UserRecord, chat: ChatRecord | undefined, skill: string): ToolScheduler {
    const queue = this.queue;
    const ofSkill = (job: JobRecord) =>
      (job.name === reminderJobName || job.name === taskJobName) && job.data.skill === skill;
    const mine = (job: JobRecord | undefined) => job?.owner === user.id && ofSkill(job);
    return {
      async remind(input) {
        if (!chat) {
          throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
            message: 'A reminder needs the chat it goes to; this call has none (run it in a chat).',
          });
        }
        const when = {
          ...(input.runAt ? { runAt: input.runAt } : {}),
          ...(input.repeat ? { repeat: input.repeat, timezone: input.timezone } : {}),
        };
        if (input.action === 'run') {
          const task: TaskData = {
            kind: 'scheduled',
            text: input.text,
            label: input.label ?? labelOf(input.text),
            userId: user.id,
            chat: jobChat(chat),
            skill,
          };
          return queue.add({
            name: taskJobName,
            data: task as unknown as Record<string, unknown>,
            owner: user.id,
            // The chain reports its own failures; a retry would run the task's tools twice.
            attempts: 1,
            ...when,
          });
        }
        const data: ReminderData = {
          text: input.text,
          skill,
          userId: user.id,
          chat: jobChat(chat),
        };
        return queue.add({
          name: reminderJobName,
          data: { ...data, ...(input.label ? { label: input.label } : {}) },
          owner: user.id,
          ...when,
        });
      },
      async list() {
        const jobs = await queue.list({
          owner: user.id,
          states: ['queued', 'running', 'retrying'],
        });
        return jobs.filter(ofSkill);
      },
      async cancel(id) {
        if (!mine(await queue.get(id))) return false;
        return queue.cancel(id);
      },
    };
  }

  /** `/ready`: the queue answers. */
  readiness(): ReadinessCheck {
    return async () => {
      const stats = await this.queue.stats();
      return {
        ok: true,
        details: {
          driver: this.queue.name,
          queued: stats.queued,
          running: stats.running,
          failed: stats.failed,
        },
      };
    };
  }

  /** `/metrics` lines: jobs by state and the lateness of occurrences started since start. */
  async metricsText(): Promise<string> {
    const stats = await this.queue.stats();
    const lines = [
      '# HELP botwire_jobs Jobs in the queue by state.',
      '# TYPE botwire_jobs gauge',
      ...(['queued', 'running', 'retrying', 'done', 'failed'] as const).map(
        (state) => `botwire_jobs{state="${state}"} ${stats[state]}`,
      ),
      '# HELP botwire_job_lateness_ms How late job occurrences started, in ms.',
      '# TYPE botwire_job_lateness_ms summary',
      `botwire_job_lateness_ms{quantile="0.5"} ${stats.lateness.p50}`,
      `botwire_job_lateness_ms{quantile="0.99"} ${stats.lateness.p99}`,
      `botwire_job_lateness_ms_count ${stats.lateness.count}`,
    ];
    return `${lines.join('\n')}\n`;
  }
}
