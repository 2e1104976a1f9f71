import { loadLanguageModel, setBackend, setThreads, withThreadCount, type TrainableLanguageModel } from '@rlgf/models';
import { createConcurrencyLimiter } from '@rlgf/resilience';
import { CriticThread, criticWorkerFiles, generateWithPolicy, sharePolicy, type PolicyCopies, type PolicyRow } from '@rlgf/trainer';
import { availableParallelism } from 'node:os';

// What the critic thread's copy of the policy gives an IMDB evaluation (issue #19), measured
// alone, for its two parts: generation (256 prompts of 64 tokens, 48 new tokens, top-k 50, chunks
// of 32) and the perplexity metric's scoring (256 references of 64-256 tokens after their
// prompts, batches of 16, three in flight, as the metric asks). Each is run by the main thread
// alone on all kernel threads, then shared with the copy (one kernel thread each on 2 cores),
// interleaved; the answers must be equal, and the copy's share of the calls is reported.
// `npx nx run tool-experiments:policy-copy [-- <model dir> [rounds]]`; default model: the default
// run's SFT stage (runs/imdb-d2lols/stages/sft/model, made by `npx nx run cli:train`).
const modelDir = process.argv[2] ?? 'runs/imdb-d2lols/stages/sft/model';
const rounds = Number(process.argv[3] ?? 3);
const openings = [
  'This movie was one of the most',
  'I watched this film with my family last weekend and',
  'The acting in this picture is',
  'When I first heard about this series I thought',
  'Nothing prepared me for the ending, which',
  'The director has made better films than this, but',
  'My friends told me to skip it, so naturally',
  'From the opening scene it is clear that',
];

/** `length` token ids cycled from the openings, starting at opening `i`. */
function idsOf(policy: TrainableLanguageModel, i: number, length: number): number[] {
  let ids = policy.tokenizer.encode(openings.slice(i % openings.length).join(' '));
  while (ids.length < length) ids = [...ids, ...ids];
  return ids.slice(0, length);
}

/** The perplexity metric's way of asking: batches of similar length, three in flight. */
async function scoreInBatches(model: Pick<TrainableLanguageModel, 'scoreTokens'>, prompts: number[][], targets: number[][]): Promise<number[][][]> {
  const inFlight = createConcurrencyLimiter(3);
  const batches = Array.from({ length: Math.ceil(prompts.length / 16) }, (_, b) => [b * 16, (b + 1) * 16]);
  return Promise.all(batches.map(([start, end]) => inFlight.run(() => model.scoreTokens(prompts.slice(start, end), targets.slice(start, end)))));
}

async function main(): Promise<void> {
  await setBackend('wasm');
  const threads = availableParallelism();
  setThreads(threads);
  const policy = await loadLanguageModel(modelDir);
  const files = criticWorkerFiles();
  if (files === undefined || policy.tokenizerFiles === undefined) throw new Error('the critic thread module or the model tokenizer files were not found');
  const mainThreads = threads - Math.floor(threads / 2);
  const thread = await CriticThread.start({ backend: 'wasm', threads: Math.floor(threads / 2), files });
  await thread.holdPolicy({ config: policy.configJson, tokenizerFiles: policy.tokenizerFiles, weights: await policy.getWeights() });
  let copyCalls = 0;
  const copies: PolicyCopies = {
    copies: [
      {
        generate: (request) => (copyCalls++, thread.generate(request)),
        scoreTokens: (promptIds, targetIds) => (copyCalls++, thread.scoreTokens(promptIds, targetIds)),
      },
    ],
    beside: (work) => withThreadCount(mainThreads, work),
  };
  const rows: PolicyRow[] = Array.from({ length: 256 }, (_, i) => ({ promptIds: idsOf(policy, i, 64), forced: [] }));
  const settings = { maxNewTokens: 48, minNewTokens: 48, decoding: { strategy: 'sample' as const, topK: 50 }, batchSize: 32, seedOf: (chunk: number) => 1000 + chunk };
  // References sorted by length, as the metric batches them.
  const targetLengths = Array.from({ length: 256 }, (_, i) => 64 + Math.floor((192 * i) / 255));
  const prompts = rows.map((row) => [...row.promptIds]);
  const targets = targetLengths.map((length, i) => idsOf(policy, i + 3, length));
  const parts = {
    generation: { calls: 8, run: (shared: boolean) => generateWithPolicy(policy, rows, settings, shared ? copies : undefined) },
    scoring: { calls: 16, run: (shared: boolean) => scoreInBatches(shared ? sharePolicy(policy, copies) : policy, prompts, targets) },
  };
  for (const [name, part] of Object.entries(parts)) {
    const times = { alone: [] as number[], shared: [] as number[] };
    let reference: string | undefined;
    for (let round = 0; round < rounds; round++) {
      for (const mode of ['alone', 'shared'] as const) {
        const cpuBefore = process.cpuUsage();
        const callsBefore = copyCalls;
        const started = performance.now();
        const answers = JSON.stringify(await part.run(mode === 'shared'));
        const seconds = (performance.now() - started) / 1000;
        const cpu = process.cpuUsage(cpuBefore);
        times[mode].push(seconds);
        reference ??= answers;
        const same = answers === reference;
        const share = mode === 'shared' ? `, the copy took ${copyCalls - callsBefore} of ${part.calls} calls` : '';
        process.stdout.write(`${name} round ${round + 1} ${mode.padEnd(6)} ${seconds.toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU (process)${share}, answers ${same ? 'equal' : 'DIFFER'}\n`);
        if (!same) process.exitCode = 1;
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    process.stdout.write(`${name} median: alone ${median(times.alone).toFixed(2)} s, shared with the copy ${median(times.shared).toFixed(2)} s (${(median(times.alone) / median(times.shared)).toFixed(2)}x), ${threads} cores\n`);
  }
  await thread.close();
  policy.dispose();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
