/**
 * Plan-then-execute against step-by-step, for chains of 1, 2 and 3 dependent tool steps and for
 * two independent steps, through the real `openai` client and the OpenAI-protocol peer, which
 * adds a fixed delay to every model call. Prints model calls per message and wall time.
 * Asserts nothing.
 *
 *   pnpm bench:planner          (builds stale packages first)
 */
import {
  type Bot,
  createBot,
  type InlineSkill,
  silentLogger,
} from '../packages/core/dist/index.js';
import {
  type RecordedChatRequest,
  type ScriptedResponse,
  testAdapter,
} from '../packages/core/dist/testing/index.js';
import { openaiChatModel } from '../packages/models/openai/dist/index.js';
import { startOpenAiPeer } from '../packages/models/openai/dist/testing/index.js';

const modelDelayMs = Number(process.env.BENCH_MODEL_DELAY_MS ?? 150);
const toolDelayMs = Number(process.env.BENCH_TOOL_DELAY_MS ?? 40);
const runs = Number(process.env.BENCH_RUNS ?? 5);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Three tools that each take `toolDelayMs` and hand a value on to the next. */
const chainSkill: InlineSkill = {
  manifest: {
    name: 'chain',
    version: '1.0.0',
    description: 'Benchmark tools.',
    tools: ['step_a', 'step_b', 'step_c'].map((name) => ({
      name,
      description: `Benchmark step ${name}.`,
      input_schema: {
        type: 'object',
        properties: { input: { type: 'string' } },
        required: ['input'],
      },
      permissions: [],
      side_effects: false,
      timeout_ms: 5000,
    })),
  },
  definition: {
    tools: Object.fromEntries(
      ['step_a', 'step_b', 'step_c'].map((name) => [
        name,
        async ({ input }: { input: string }) => {
          await sleep(toolDelayMs);
          return { text: `${name}(${input})`, data: { value: `${name}(${input})` } };
        },
      ]),
    ),
  },
};

const tools = ['step_a', 'step_b', 'step_c'];

/** What the model "decides", computed from the request as a real model would read it. */
function modelAnswer(steps: number, independent: boolean) {
  return (request: RecordedChatRequest): ScriptedResponse => {
    if (request.responseSchema) {
      const planned = tools.slice(0, steps).map((tool, index) => ({
        id: `s${index + 1}`,
        tool,
        arguments: { input: index === 0 || independent ? `x${index}` : `{{s${index}.value}}` },
      }));
      return { json: { mode: 'plan', steps: planned, final: 'compose' } };
    }
    if (request.tools.length > 0) {
      const done = request.messages.filter((message) => message.role === 'tool').length;
      if (done < steps) {
        const previous =
          request.messages.filter((message) => message.role === 'tool').at(-1)?.content ?? 'x';
        return {
          toolCalls: [
            {
              name: tools[done]!,
              arguments: { input: done === 0 || independent ? `x${done}` : previous.slice(0, 40) },
            },
          ],
        };
      }
    }
    return { text: 'Done.' };
  };
}

async function measure(mode: 'plan' | 'step-by-step', steps: number, independent: boolean) {
  const peer = await startOpenAiPeer({
    delayMs: modelDelayMs,
    fallback: modelAnswer(steps, independent),
  });
  const test = testAdapter();
  const bot: Bot = createBot({
    config: { storage: 'memory', access: 'open', skills: [{ use: chainSkill }], planner: { mode } },
    adapters: [test.adapter],
    log: silentLogger,
    model: openaiChatModel({ model: 'bench', baseURL: peer.baseURL, apiKey: 'bench' }),
  });
  await bot.start();
  const times: number[] = [];
  let calls = 0;
  for (let run = 0; run <= runs; run += 1) {
    const before = peer.chatRequests.length;
    const started = performance.now();
    await test.say(`run ${run}: chain of ${steps}`, { userId: `user-${run}` });
    if (run === 0) continue; // warm-up
    times.push(performance.now() - started);
    calls += peer.chatRequests.length - before;
  }
  await bot.stop();
  await peer.close();
  times.sort((a, b) => a - b);
  return { calls: calls / runs, median: times[Math.floor(times.length / 2)]! };
}

console.log(
  `planner: model delay ${modelDelayMs} ms per call, tool delay ${toolDelayMs} ms per step, median of ${runs} messages, node ${process.version}`,
);
console.log(
  'chain                  | plan-then-execute: calls  wall ms | step-by-step: calls  wall ms',
);
for (const [label, steps, independent] of [
  ['1 step', 1, false],
  ['2 dependent steps', 2, false],
  ['3 dependent steps', 3, false],
  ['2 independent steps', 2, true],
] as const) {
  const plan = await measure('plan', steps, independent);
  const stepwise = await measure('step-by-step', steps, independent);
  console.log(
    `${label.padEnd(22)} | ${plan.calls.toFixed(1).padStart(24)} ${plan.median.toFixed(0).padStart(8)} | ${stepwise.calls.toFixed(1).padStart(19)} ${stepwise.median.toFixed(0).padStart(8)}`,
  );
}
