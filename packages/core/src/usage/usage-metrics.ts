/**
 * Process-wide counters and latency histograms of a bot, rendered in the Prometheus text
 * exposition format (version 0.0.4). Nothing here touches storage: the numbers start at zero
 * with the process, as Prometheus expects of counters.
 */

/** The upper bounds, in seconds, of the latency histograms' buckets. */
export const durationBuckets: readonly number[] = [
  0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

type Labels = Record<string, string>;

interface Family {
  help: string;
  type: 'counter' | 'histogram';
  labelNames: readonly string[];
}

interface HistogramSeries {
  buckets: number[];
  sum: number;
  count: number;
}

const families = {
  botwire_messages_total: {
    help: 'Messages counted against usage budgets (those that reached skills or the planner).',
    type: 'counter',
    labelNames: [],
  },
  botwire_limit_reached_total: {
    help: 'Messages and model calls refused because a daily limit was reached.',
    type: 'counter',
    labelNames: ['limit'],
  },
  botwire_model_calls_total: {
    help: 'Chat model calls, by provider, model and outcome (ok or error).',
    type: 'counter',
    labelNames: ['provider', 'model', 'outcome'],
  },
  botwire_model_tokens_total: {
    help: 'Tokens the chat model reported, by provider, model and direction (input or output).',
    type: 'counter',
    labelNames: ['provider', 'model', 'direction'],
  },
  botwire_model_call_duration_seconds: {
    help: 'How long chat model calls took, in seconds.',
    type: 'histogram',
    labelNames: ['provider', 'model'],
  },
  botwire_tool_calls_total: {
    help: 'Tool calls, by skill, tool and outcome (ok or error).',
    type: 'counter',
    labelNames: ['skill', 'tool', 'outcome'],
  },
  botwire_tool_call_duration_seconds: {
    help: 'How long tool calls took, in seconds.',
    type: 'histogram',
    labelNames: ['skill', 'tool'],
  },
} satisfies Record<string, Family>;

/** The name of one of the metrics {@link UsageMetrics} keeps. */
export type MetricName = keyof typeof families;

type NamesOf<T extends Family['type']> = {
  [K in MetricName]: (typeof families)[K]['type'] extends T ? K : never;
}[MetricName];

/** A counter of {@link UsageMetrics}, such as `botwire_tool_calls_total`. */
export type CounterName = NamesOf<'counter'>;

/** A histogram of {@link UsageMetrics}, such as `botwire_tool_call_duration_seconds`. */
export type HistogramName = NamesOf<'histogram'>;

/** Escapes a label value: backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

const escapeHelp = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

const formatNumber = (value: number) =>
  value === Number.POSITIVE_INFINITY ? '+Inf' : Number.isNaN(value) ? 'NaN' : String(value);

function labelText(names: readonly string[], values: readonly string[], extra = ''): string {
  const pairs = names.map((name, index) => `${name}="${escapeLabelValue(values[index] ?? '')}"`);
  if (extra) pairs.push(extra);
  return pairs.length ? `{${pairs.join(',')}}` : '';
}

/**
 * Counters and histograms for one process, with {@link UsageMetrics.text} for a `/metrics`
 * endpoint. A {@link UsageTracker} feeds it; pass one instance to several trackers to sum
 * several bots of one process.
 *
 * @example
 * const metrics = new UsageMetrics();
 * metrics.increment('botwire_tool_calls_total', { skill: 'notes', tool: 'note_add', outcome: 'ok' });
 * metrics.observe('botwire_tool_call_duration_seconds', { skill: 'notes', tool: 'note_add' }, 0.012);
 * response.end(metrics.text());
 */
export class UsageMetrics {
  /** The content type of {@link UsageMetrics.text}, for the HTTP response. */
  static readonly contentType = 'text/plain; version=0.0.4; charset=utf-8';
  private readonly counters = new Map<MetricName, Map<string, number>>();
  private readonly histograms = new Map<MetricName, Map<string, HistogramSeries>>();

  /** Adds `by` (default 1) to a counter's series with these labels. */
  increment(name: CounterName, labels: Labels = {}, by = 1): void {
    if (!(by >= 0) || !Number.isFinite(by)) return; // counters only go up
    const series = this.seriesOf(this.counters, name);
    const key = this.keyOf(name, labels);
    series.set(key, (series.get(key) ?? 0) + by);
  }

  /** Records one observation (in seconds) in a histogram's series with these labels. */
  observe(name: HistogramName, labels: Labels, seconds: number): void {
    if (!Number.isFinite(seconds)) return;
    const series = this.seriesOf(this.histograms, name);
    const key = this.keyOf(name, labels);
    let histogram = series.get(key);
    if (!histogram) {
      histogram = { buckets: durationBuckets.map(() => 0), sum: 0, count: 0 };
      series.set(key, histogram);
    }
    durationBuckets.forEach((bound, index) => {
      if (seconds <= bound) histogram.buckets[index]! += 1;
    });
    histogram.sum += seconds;
    histogram.count += 1;
  }

  /** The current value of a counter's series (0 when it was never incremented). */
  value(name: CounterName, labels: Labels = {}): number {
    return this.counters.get(name)?.get(this.keyOf(name, labels)) ?? 0;
  }

  /** Every metric in the Prometheus text exposition format, ending with a line feed. */
  text(): string {
    const lines: string[] = [];
    for (const [name, family] of Object.entries(families) as Array<[MetricName, Family]>) {
      lines.push(`# HELP ${name} ${escapeHelp(family.help)}`, `# TYPE ${name} ${family.type}`);
      if (family.type === 'counter') {
        const series = this.counters.get(name);
        if (!series && family.labelNames.length === 0) lines.push(`${name} 0`);
        for (const [key, value] of series ?? []) {
          const values = JSON.parse(key) as string[];
          lines.push(`${name}${labelText(family.labelNames, values)} ${formatNumber(value)}`);
        }
        continue;
      }
      for (const [key, histogram] of this.histograms.get(name) ?? []) {
        const values = JSON.parse(key) as string[];
        durationBuckets.forEach((bound, index) => {
          const labels = labelText(family.labelNames, values, `le="${formatNumber(bound)}"`);
          lines.push(`${name}_bucket${labels} ${histogram.buckets[index]}`);
        });
        const all = labelText(family.labelNames, values, 'le="+Inf"');
        lines.push(`${name}_bucket${all} ${histogram.count}`);
        const plain = labelText(family.labelNames, values);
        lines.push(`${name}_sum${plain} ${formatNumber(histogram.sum)}`);
        lines.push(`${name}_count${plain} ${histogram.count}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }

  private seriesOf<T>(maps: Map<MetricName, Map<string, T>>, name: MetricName): Map<string, T> {
    let series = maps.get(name);
    if (!series) {
      series = new Map();
      maps.set(name, series);
    }
    return series;
  }

  /** The label values in the family's order, as a map key. */
  private keyOf(name: MetricName, labels: Labels): string {
    return JSON.stringify(families[name].labelNames.map((label) => labels[label] ?? ''));
  }
}
