/**
 * The embedded vector index at 10k, 100k and 1M vectors of 384 dimensions on memory storage:
 * insert rate (HNSW graph included), query p50/p95 over 200 queries, recall@10 against exact
 * search, memory, and exact search's p50/p95 beside it; then 10k through SQLite, to show the
 * persisted path (writes, and loading the namespace in a fresh index). Data: clustered
 * Gaussian vectors, seeded. Prints figures, asserts nothing.
 *
 *   pnpm bench:vectors                       (builds stale packages first)
 *   BENCH_SIZES=10000,100000 pnpm bench:vectors
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import {
  embeddedVectorIndex,
  memoryStorage,
  type StorageDriver,
  sqliteStorage,
  type VectorIndex,
} from '../packages/core/dist/index.js';

const sizes = (process.env.BENCH_SIZES ?? '10000,100000,1000000')
  .split(',')
  .map((size) => Number(size.trim()));
const dimensions = 384;
const clusters = 100;
const spread = 1;
const queryCount = 200;
const batchSize = 1_000;
const limit = 10;
const namespace = 'bench/vectors';
const goals = { p95AtHundredThousandMs: 10, recall: 0.95 };

// A million vectors held twice (the memory storage's base64, the index's floats) and listed
// once more while loading need more heap than Node's default: run again with more.
const heapNeededBytes = 12 * 1024 ** 3;
if (
  Math.max(...sizes) >= 500_000 &&
  getHeapStatistics().heap_size_limit < heapNeededBytes &&
  !process.env.BENCH_VECTORS_CHILD
) {
  const result = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: {
      ...process.env,
      BENCH_VECTORS_CHILD: '1',
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=16384`.trim(),
    },
  });
  process.exit(result.status ?? 1);
}

/** A seeded generator of numbers in [0, 1) (mulberry32). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/** Points around `clusters` centres drawn from N(0, 1), each item off its centre by N(0, spread²). */
function clusteredSource(seed: number) {
  const random = seededRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centreRandom = seededRandom(1);
  const centreGaussian = () =>
    Math.sqrt(-2 * Math.log(1 - centreRandom())) * Math.cos(2 * Math.PI * centreRandom());
  const centres = Array.from({ length: clusters }, () =>
    Array.from({ length: dimensions }, centreGaussian),
  );
  return (): number[] => {
    const centre = centres[Math.floor(random() * clusters)]!;
    return centre.map((value) => value + spread * gaussian());
  };
}

const percentile = (sorted: number[], fraction: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;

async function timeQueries(index: VectorIndex, queries: number[][]) {
  const times: number[] = [];
  const results: string[][] = [];
  for (const query of queries) {
    const started = performance.now();
    const matches = await index.query(namespace, query, { limit });
    times.push(performance.now() - started);
    results.push(matches.map((match) => match.id));
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95), results };
}

async function insert(index: VectorIndex, size: number, label: string): Promise<number> {
  const next = clusteredSource(size);
  const started = performance.now();
  let reported = 0;
  for (let at = 0; at < size; at += batchSize) {
    const count = Math.min(batchSize, size - at);
    await index.upsert(
      namespace,
      Array.from({ length: count }, (_, offset) => ({
        id: `v${at + offset}`,
        vector: next(),
        payload: { at: at + offset, cluster: (at + offset) % 7 },
      })),
    );
    const done = Math.floor(((at + count) / size) * 10);
    if (size >= 100_000 && done > reported) {
      reported = done;
      const seconds = (performance.now() - started) / 1000;
      process.stderr.write(`  ${label}: ${at + count} inserted, ${seconds.toFixed(0)} s\n`);
    }
  }
  return size / ((performance.now() - started) / 1000);
}

const mebibytes = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
const milliseconds = (ms: number) => ms.toFixed(2);

interface Row {
  setup: string;
  size: number;
  insertPerSecond: number;
  p50: number;
  p95: number;
  recall: number;
  exactP50: number;
  exactP95: number;
  rss: number;
  heap: number;
  external: number;
}

async function benchMemory(size: number, queries: number[][]): Promise<Row> {
  const storage = memoryStorage();
  await storage.open();
  const before = process.memoryUsage();
  const index = embeddedVectorIndex({ storage });
  const insertPerSecond = await insert(index, size, `memory ${size}`);
  const after = process.memoryUsage();
  const approximate = await timeQueries(index, queries);
  await index.close();
  const exactIndex = embeddedVectorIndex({ storage, approximateFrom: Number.POSITIVE_INFINITY });
  await exactIndex.count(namespace);
  const exact = await timeQueries(exactIndex, queries);
  await exactIndex.close();
  await storage.close();
  return {
    setup: 'memory',
    size,
    insertPerSecond,
    p50: approximate.p50,
    p95: approximate.p95,
    recall: recallOf(approximate.results, exact.results),
    exactP50: exact.p50,
    exactP95: exact.p95,
    rss: after.rss - before.rss,
    heap: after.heapUsed - before.heapUsed,
    external: after.external - before.external,
  };
}

function recallOf(found: string[][], exact: string[][]): number {
  let shared = 0;
  found.forEach((ids, at) => {
    shared += ids.filter((id) => exact[at]!.includes(id)).length;
  });
  return shared / (found.length * limit);
}

async function benchSqlite(size: number, queries: number[][]) {
  const directory = mkdtempSync(join(tmpdir(), 'botwire-vectors-bench-'));
  const path = join(directory, 'bench.db');
  try {
    let storage: StorageDriver = sqliteStorage({ path });
    await storage.open();
    let index = embeddedVectorIndex({ storage });
    const insertPerSecond = await insert(index, size, `sqlite ${size}`);
    await index.close();
    await storage.close();
    storage = sqliteStorage({ path });
    await storage.open();
    index = embeddedVectorIndex({ storage });
    const started = performance.now();
    await index.count(namespace);
    const loadMs = performance.now() - started;
    const timed = await timeQueries(index, queries);
    await index.close();
    await storage.close();
    return { insertPerSecond, loadMs, ...timed, fileBytes: statSync(path).size };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

const nextQuery = clusteredSource(424_242);
const queries = Array.from({ length: queryCount }, nextQuery);
console.log(
  `vector bench: node ${process.version}, ${dimensions} dimensions, ${queryCount} queries of top ${limit}, default options (HNSW from 10,000 records, m 16, efConstruction 100, efSearch 128)`,
);
console.log(
  `data: ${clusters} Gaussian clusters (centres N(0,1), points centre + N(0,${spread}²) per item), seeded; queries drawn the same way\n`,
);
const header = [
  'storage',
  'vectors',
  'insert/s',
  'p50 ms',
  'p95 ms',
  'recall@10',
  'exact p50',
  'exact p95',
  'RSS +',
  'heap +',
  'external +',
];
const widths = [7, 9, 8, 6, 6, 9, 9, 9, 9, 9, 10];
const render = (cells: string[]) =>
  cells
    .map((cell, column) =>
      column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
    )
    .join('  ');
console.log(render(header));
console.log(widths.map((width) => '-'.repeat(width)).join('  '));
const rows: Row[] = [];
for (const size of sizes) {
  const row = await benchMemory(size, queries);
  rows.push(row);
  // Each row as soon as it is measured: a run stopped at 1M still shows the others.
  console.log(
    render([
      row.setup,
      row.size.toLocaleString('en-US'),
      Math.round(row.insertPerSecond).toLocaleString('en-US'),
      milliseconds(row.p50),
      milliseconds(row.p95),
      row.recall.toFixed(3),
      milliseconds(row.exactP50),
      milliseconds(row.exactP95),
      mebibytes(row.rss),
      mebibytes(row.heap),
      mebibytes(row.external),
    ]),
  );
}

const atHundredThousand = rows.find((row) => row.size === 100_000);
console.log(
  `\ngoals: p95 <= ${goals.p95AtHundredThousandMs} ms at 100k (${
    atHundredThousand ? `${milliseconds(atHundredThousand.p95)} ms` : 'not run'
  }), recall@10 >= ${goals.recall} (${rows.map((row) => row.recall.toFixed(3)).join(', ')})`,
);
console.log(
  'memory: after inserting, against before; it includes the memory storage copy (base64 JSON strings, on the heap). Float32 vectors are "external"; the HNSW graph is native memory, counted only in RSS.',
);

const sqliteSize = Math.min(10_000, ...sizes);
const sqlite = await benchSqlite(sqliteSize, queries);
console.log(
  `\nsqlite, ${sqliteSize.toLocaleString('en-US')} vectors: insert ${Math.round(sqlite.insertPerSecond).toLocaleString('en-US')}/s, load in a fresh index ${milliseconds(sqlite.loadMs)} ms, query p50 ${milliseconds(sqlite.p50)} ms, p95 ${milliseconds(sqlite.p95)} ms, file ${mebibytes(sqlite.fileBytes)}`,
);
