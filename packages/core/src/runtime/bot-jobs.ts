import { BotwireError } from '../errors/botwire-error';
import type { Logger } from '../logging/logger';
import type { ChatRef } from '../messages/incoming-message';
import type { OutgoingMessage, SentMessage } from '../messages/outgoing-message';
import type { Adapter } from '../ports/adapter';
import type { ReadinessCheck } from '../ports/http-routes';
import type { JobQueue, JobRecord, JobRun } from '../ports/job-queue';
import type { ChatRecord, UserRecord } from '../ports/storage';
import type { ToolScheduler } from '../skills/define-skill';

/** The job that sends a reminder's text to the chat it was set in. */
export const reminderJobName = 'botwire.reminder';

/** What a reminder job carries. */
interface ReminderData {
  text: string;
  skill: string;
  userId: string;
  chat: { id: string; platform: string; platformId: string; type: 'private' | 'group' };
}

/** What {@link BotJobs} needs from the bot. */
export interface BotJobsDeps {
  adapter(name: string): Adapter | undefined;
  deliver(
    adapter: Adapter,
    chat: ChatRef,
    message: OutgoingMessage,
    options: { chatId: string },
  ): Promise<SentMessage>;
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
  }

  private async deliverReminder(run: JobRun): Promise<void> {
    const data = run.job.data as unknown as ReminderData;
    const adapter = this.deps.adapter(data.chat.platform);
    if (!adapter) {
      // Another process may run that messenger: fail this try, and the retry may land there.
      throw new BotwireError('BOTWIRE_ADAPTER_NOT_FOUND', {
        message: `The reminder is for a chat on ${data.chat.platform}, which this process does not run.`,
      });
    }
    await this.deps.deliver(
      adapter,
      { platformId: data.chat.platformId, type: data.chat.type },
      { text: data.text },
      { chatId: data.chat.id },
    );
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
    const mine = (job: JobRecord | undefined) =>
      job?.owner === user.id && job.name === reminderJobName && job.data.skill === skill;
    return {
      async remind(input) {
        if (!chat) {
          throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
            message: 'A reminder needs the chat it goes to; this call has none (run it in a chat).',
          });
        }
        const data: ReminderData = {
          text: input.text,
          skill,
          userId: user.id,
          chat: {
            id: chat.id,
            platform: chat.identity.platform,
            platformId: chat.identity.platformId,
            type: chat.type,
          },
        };
        return queue.add({
          name: reminderJobName,
          data: { ...data, ...(input.label ? { label: input.label } : {}) },
          owner: user.id,
          ...(input.runAt ? { runAt: input.runAt } : {}),
          ...(input.repeat ? { repeat: input.repeat, timezone: input.timezone } : {}),
        });
      },
      async list() {
        const jobs = await queue.list({
          owner: user.id,
          name: reminderJobName,
          states: ['queued', 'running', 'retrying'],
        });
        return jobs.filter((job) => job.data.skill === skill);
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
