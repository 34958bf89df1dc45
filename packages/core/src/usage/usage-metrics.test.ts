import { describe, expect, it } from 'vitest';
import { durationBuckets, escapeLabelValue, UsageMetrics } from './usage-metrics';

describe('UsageMetrics', () => {
  it('renders every family with HELP and TYPE, and a zero for the unlabelled counter', () => {
    const text = new UsageMetrics().text();
    for (const name of [
      'botwire_messages_total',
      'botwire_limit_reached_total',
      'botwire_model_calls_total',
      'botwire_model_tokens_total',
      'botwire_model_call_duration_seconds',
      'botwire_tool_calls_total',
      'botwire_tool_call_duration_seconds',
    ]) {
      expect(text).toContain(`# HELP ${name} `);
      expect(text).toMatch(new RegExp(`^# TYPE ${name} (counter|histogram)$`, 'm'));
    }
    expect(text).toMatch(/^botwire_messages_total 0$/m);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('counts per label set and renders counters', () => {
    const metrics = new UsageMetrics();
    const labels = { skill: 'notes', tool: 'note_add', outcome: 'ok' };
    metrics.increment('botwire_tool_calls_total', labels);
    metrics.increment('botwire_tool_calls_total', labels);
    metrics.increment('botwire_tool_calls_total', { ...labels, outcome: 'error' });
    metrics.increment('botwire_messages_total', {}, 3);
    metrics.increment('botwire_messages_total', {}, -1); // counters never go down
    expect(metrics.value('botwire_tool_calls_total', labels)).toBe(2);
    const text = metrics.text();
    expect(text).toContain(
      'botwire_tool_calls_total{skill="notes",tool="note_add",outcome="ok"} 2',
    );
    expect(text).toContain(
      'botwire_tool_calls_total{skill="notes",tool="note_add",outcome="error"} 1',
    );
    expect(text).toMatch(/^botwire_messages_total 3$/m);
  });

  it('renders histograms with cumulative buckets, +Inf, sum and count', () => {
    const metrics = new UsageMetrics();
    const labels = { provider: 'openai', model: 'gpt-4o-mini' };
    for (const seconds of [0.02, 0.3, 0.3, 120]) {
      metrics.observe('botwire_model_call_duration_seconds', labels, seconds);
    }
    const lines = metrics
      .text()
      .split('\n')
      .filter((line) => line.startsWith('botwire_model_call_duration_seconds'));
    const series = '{provider="openai",model="gpt-4o-mini"';
    expect(lines).toContain(`botwire_model_call_duration_seconds_bucket${series},le="0.01"} 0`);
    expect(lines).toContain(`botwire_model_call_duration_seconds_bucket${series},le="0.025"} 1`);
    expect(lines).toContain(`botwire_model_call_duration_seconds_bucket${series},le="0.5"} 3`);
    expect(lines).toContain(`botwire_model_call_duration_seconds_bucket${series},le="60"} 3`);
    expect(lines).toContain(`botwire_model_call_duration_seconds_bucket${series},le="+Inf"} 4`);
    expect(lines).toContain(`botwire_model_call_duration_seconds_sum${series}} 120.62`);
    expect(lines).toContain(`botwire_model_call_duration_seconds_count${series}} 4`);
    expect(lines).toHaveLength(durationBuckets.length + 3);
  });

  it('escapes backslashes, quotes and line feeds in label values', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    const metrics = new UsageMetrics();
    metrics.increment('botwire_model_calls_total', {
      provider: 'my"proxy',
      model: 'x\\y\nz',
      outcome: 'ok',
    });
    expect(metrics.text()).toContain(
      'botwire_model_calls_total{provider="my\\"proxy",model="x\\\\y\\nz",outcome="ok"} 1',
    );
  });

  it('names its content type', () => {
    expect(UsageMetrics.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });
});
