import { loadLanguageModel, setBackend, setThreads, withThreadCount } from '@rlgf/models';
import { CriticThread, criticWorkerFiles, generateWithPolicy, type PolicyCopies, type PolicyRow } from '@rlgf/trainer';
import { availableParallelism } from 'node:os';

// What the critic thread's copy of the policy gives generation (issue #19), measured alone: the
// IMDB evaluation's shape (256 prompts of 64 tokens, 48 new tokens, top-k 50, chunks of 32) written
// by the main thread alone with all kernel threads, then with the copy taking chunks beside it
// (one kernel thread each on 2 cores), interleaved; the tokens must be equal.
// `npx nx run tool-experiments:generation-thread [-- <model dir> [rounds]]`; default model: the
// default run's SFT stage (runs/imdb-d2lols/stages/sft/model, made by `npx nx run cli:train`).
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
  const rows: PolicyRow[] = Array.from({ length: 256 }, (_, i) => {
    let ids = policy.tokenizer.encode(openings.slice(i % openings.length).join(' '));
    while (ids.length < 64) ids = [...ids, ...ids];
    return { promptIds: ids.slice(0, 64), forced: [] };
  });
  const settings = { maxNewTokens: 48, minNewTokens: 48, decoding: { strategy: 'sample' as const, topK: 50 }, batchSize: 32, seedOf: (chunk: number) => 1000 + chunk };
  const copies: PolicyCopies = { generators: [(request) => thread.generate(request)], beside: (work) => withThreadCount(mainThreads, work) };
  const times = { alone: [] as number[], copy: [] as number[] };
  let reference: number[][] | undefined;
  for (let round = 0; round < rounds; round++) {
    for (const mode of ['alone', 'copy'] as const) {
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const tokens = await generateWithPolicy(policy, rows, settings, mode === 'copy' ? copies : undefined);
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      times[mode].push(seconds);
      reference ??= tokens;
      const same = JSON.stringify(tokens) === JSON.stringify(reference);
      process.stdout.write(`round ${round + 1} ${mode.padEnd(5)} ${seconds.toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU (process), tokens ${same ? 'equal' : 'DIFFER'}\n`);
      if (!same) process.exitCode = 1;
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  process.stdout.write(`median: alone ${median(times.alone).toFixed(2)} s, with the copy ${median(times.copy).toFixed(2)} s (${(median(times.alone) / median(times.copy)).toFixed(2)}x), ${threads} cores\n`);
  await thread.close();
  policy.dispose();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
