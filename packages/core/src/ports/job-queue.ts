/** A job to run in the background, now, later or on a schedule. */
export interface JobRequest {
  /** The handler's name (`reminders.send`). */
  name: string;
  /** JSON-serializable input. */
  data: Record<string, unknown>;
  /** Run at this time instead of now. */
  runAt?: Date;
  /** Repeat on a cron schedule (`0 9 * * 5`), in `timezone`. */
  cron?: string;
  timezone?: string;
  /** Jobs with the same key are one job (adding it again replaces it). */
  key?: string;
  /** Tries before the job counts as failed. Default 3. */
  attempts?: number;
}

/** A job the queue holds. */
export interface JobRecord extends JobRequest {
  id: string;
  state: 'waiting' | 'delayed' | 'active' | 'completed' | 'failed';
}

/**
 * The job queue and scheduler port: the embedded driver persists jobs with storage, the
 * production one is BullMQ on Redis. No driver ships yet: the scheduler issue brings them.
 */
export interface JobQueue {
  readonly name: string;
  add(job: JobRequest): Promise<JobRecord>;
  /** Runs jobs of this name as they come due; one handler per name. */
  process(name: string, handler: (job: JobRecord) => Promise<void>): void;
  cancel(id: string): Promise<boolean>;
  list(options?: { name?: string; key?: string }): Promise<JobRecord[]>;
  close(): Promise<void>;
}
