import { BotwireError, formatInstant, type ToolContext, type ToolHandlers } from '@botwire/core';
import { parseSchedule } from './schedule/parse-schedule';
import type { SkillInputs } from './skill-types';

/** A reminder's next time as the user reads it: `2027-03-14 09:00 (Europe/Moscow)`. */
function when(context: ToolContext, instant: Date, timezone?: string): string {
  const zone = timezone ?? context.timezone;
  const text = formatInstant(instant, zone);
  return `${text.slice(0, 10)} ${text.slice(11, 16)} (${zone})`;
}

/**
 * Reads the phrase of a reminder or a task. An unclear time fails with BOTWIRE_SCHEDULE_UNCLEAR,
 * whose message is the question to ask the user (the chat shows it as it is).
 */
function readPhrase(text: string, context: ToolContext): ReturnType<typeof parseSchedule> {
  return parseSchedule({ text, now: new Date().toISOString(), timezone: context.timezone });
}

/** When a parsed phrase fires, as `context.schedule.remind` takes it. */
function timing(parsed: ReturnType<typeof parseSchedule>, context: ToolContext) {
  return parsed.kind === 'once'
    ? { runAt: new Date(parsed.next[0]!) }
    : { repeat: parsed.repeat!, timezone: context.timezone };
}

/** The handlers of the reminder and task tools. */
export const reminderTools: Pick<
  ToolHandlers<SkillInputs>,
  'reminder_create' | 'task_schedule' | 'reminder_list' | 'reminder_cancel'
> = {
  async reminder_create(input, context) {
    const parsed = readPhrase(input.text, context);
    const task = parsed.task || input.text;
    const job = await context.schedule.remind({
      text: `⏰ ${task}`,
      label: task,
      ...timing(parsed, context),
    });
    const next = when(context, job.runAt);
    return {
      text: context.t(parsed.kind === 'once' ? 'created_once' : 'created_recurring', {
        task,
        next,
      }),
      data: { created: true, id: job.id, task, kind: parsed.kind, next: parsed.next },
    };
  },

  async task_schedule(input, context) {
    const parsed = readPhrase(input.text, context);
    if (!parsed.task)
      throw new BotwireError('BOTWIRE_SCHEDULE_UNCLEAR', { message: context.t('task_missing') });
    const job = await context.schedule.remind({
      text: parsed.task,
      label: parsed.task,
      action: 'run',
      ...timing(parsed, context),
    });
    const next = when(context, job.runAt);
    return {
      text: context.t(parsed.kind === 'once' ? 'task_once' : 'task_recurring', {
        task: parsed.task,
        next,
      }),
      data: { created: true, id: job.id, task: parsed.task, kind: parsed.kind, next: parsed.next },
    };
  },

  async reminder_list(_input, context) {
    const jobs = await context.schedule.list();
    if (jobs.length === 0) return { text: context.t('none'), data: { reminders: [] } };
    const reminders = jobs.map((job) => ({
      id: job.id,
      task: String(job.data.label ?? job.data.text ?? ''),
      next: formatInstant(job.runAt, job.timezone ?? context.timezone),
      recurring: job.repeat !== undefined,
      action: job.data.kind === 'scheduled' ? 'run' : 'send',
    }));
    const lines = jobs.map(
      (job, index) =>
        `${reminders[index]!.action === 'run' ? '▶' : '•'} ${reminders[index]!.task} — ${when(context, job.runAt, job.timezone)}${job.repeat ? ` ${context.t('repeats')}` : ''} (${job.id})`,
    );
    return {
      text: [context.t('list_header', { count: jobs.length }), ...lines].join('\n'),
      buttons: jobs.slice(0, 5).map((job, index) => [
        {
          label: `${context.t('cancel_button')}: ${reminders[index]!.task.slice(0, 24)}`,
          data: `/reminder_cancel ${job.id}`,
        },
      ]),
      data: { reminders },
    };
  },

  async reminder_cancel(input, context) {
    const cancelled = await context.schedule.cancel(input.id.trim());
    if (!cancelled)
      throw new BotwireError('BOTWIRE_JOB_NOT_FOUND', {
        message: context.t('not_found', { id: input.id.trim() }),
      });
    return { text: context.t('cancelled'), data: { cancelled } };
  },
};
