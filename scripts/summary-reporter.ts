import type { Reporter } from 'vitest/reporters';

interface Task {
  type: string;
  mode?: string;
  result?: { state?: string };
  tasks?: Task[];
}

/**
 * Prints one plain closing line after Vitest's own report, `tests: N passed, N failed, N skipped`,
 * so CI systems that read only the last line see the counts.
 */
export default class SummaryReporter implements Reporter {
  onFinished(files: Task[] = []): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const visit = (task: Task) => {
      if (task.type === 'test') {
        const state = task.result?.state;
        if (state === 'pass') passed += 1;
        else if (state === 'fail') failed += 1;
        else skipped += 1;
      }
      for (const child of task.tasks ?? []) visit(child);
    };
    for (const file of files) {
      visit(file);
      // A file that failed to load has no tests but is a failure.
      if (file.result?.state === 'fail' && !(file.tasks ?? []).length) failed += 1;
    }
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
