// npx tsx tools/bench-models/src/lora-memory.ts (or npx nx run bench-models:lora-memory) [--only stories260K,llama-256,gpt2-small] [--variants lora,full] [--iterations 1|2]
//   [--timeout-min 15] [--dir runs/lora-memory] [--reward-model runs/imdb-d2lols/stages/reward]
//   [--doc docs/results/performance.md | --no-doc]
//
// Issue #17, item 5: peak RSS and tokens/s of one D2LOLS iteration holding a policy, its frozen
// reference, the guide critic and a local guide on the same model, at llama-256 and at the GPT-2
// small shape (random weights), with LoRA (`policy.lora` / `critic.lora`, r 8: one frozen base
// shared by all four) and without (four full copies, AdamW state for the policy and the critics),
// on the wasm backend, whose tensors live in one 32-bit WebAssembly memory (4 GiB at most).
//
// 1. writes the two random-weight checkpoints to <dir>/models (kept for the next run);
// 2. runs `rlgf train` once per configuration and variant, each in a fresh process under a
//    wrapper that reports the process's peak RSS even when it fails or is stopped at the timeout;
// 3. reads `memory/peak_rss_mb`, `speed/tokens_per_s` and the phase times from metrics.jsonl (or
//    keeps the error line of a failed run) and writes the table into the marked section of
//    docs/results/performance.md, replacing it when run again.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRandomLanguageModel, loadLanguageModel, readCheckpoint, resolveModelReference, saveLanguageModel, setBackend } from '@rlgf/models';
import { describeMachine } from './machine';
import { gpt2Small, llama256 } from './configs';

const repoRoot = resolve(import.meta.dirname, '../../..');
const python = '/usr/bin/python3';

const flag = (name: string): string | undefined => {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? undefined : process.argv[index + 1];
};
const has = (name: string) => process.argv.includes(`--${name}`);

/** The shapes: `configs.ts`'s, which the other benchmarks use. */
const shapes = {
  // The floor: the same run at a 260K-parameter model (the mirror's stories260K, not random):
  // what the runtime, the IMDB data and the reward classifier take whatever the model.
  stories260K: { config: undefined, seed: 0, description: 'stories260K (llama2.c, from the mirror): the floor of the run, whatever the model' },
  'llama-256': {
    config: { ...llama256, architectures: ['LlamaForCausalLM'] },
    seed: 1,
    description: 'Llama, dim 256, 6 layers, 8 heads, MLP 704, vocab 4096, tied head',
  },
  'gpt2-small': {
    config: { ...gpt2Small, architectures: ['GPT2LMHeadModel'], n_ctx: 1024, bos_token_id: 50256 },
    seed: 2,
    description: 'GPT-2 small: dim 768, 12 layers, 12 heads, vocab 50257, 1024 positions',
  },
} as const;
type ShapeName = keyof typeof shapes;

const log = (message: string) => process.stderr.write(`[lora-memory] ${message}\n`);

/**
 * The stories260K tokenizer (512 entries) padded to llama-256's 4,096: ids 512 to 4095 decode to
 * ` w<id>`. A random-weight policy samples every id of its vocabulary, and the IMDB reward reads
 * text, so every id must decode; no merge produces the padding, so encoding is stories260K's.
 */
function padTokenizerJson(tokenizerJson: Record<string, unknown>, size: number): Record<string, unknown> {
  const model = tokenizerJson['model'] as { vocab: Record<string, number> };
  const vocab = { ...model.vocab };
  for (let id = Object.keys(vocab).length; id < size; id++) vocab[`▁w${id}`] = id;
  return { ...tokenizerJson, model: { ...model, vocab } };
}

/** Writes (once) the random-weight checkpoint of `name` to `dir`; returns its parameter count. */
async function writeCheckpointOf(name: ShapeName, dir: string, hubMirror: string): Promise<number> {
  if (name === 'stories260K') {
    const cacheDir = await mkdtemp(join(tmpdir(), 'lora-memory-'));
    const folder = await resolveModelReference({ source: join(hubMirror, 'models/karpathy/tinyllamas/stories260K') }, { cacheDir });
    const model = await loadLanguageModel(folder);
    const count = model.info.parameterCount;
    await saveLanguageModel(model, dir);
    model.dispose();
    return count;
  }
  if (existsSync(join(dir, 'config.json')) && existsSync(join(dir, 'model.safetensors'))) {
    const model = await loadLanguageModel(dir);
    const count = model.info.parameterCount;
    model.dispose();
    log(`${name}: reusing ${dir}`);
    return count;
  }
  const shape = shapes[name];
  if (shape.config === undefined) throw new Error(`${name}: no config`);
  let tokenizer;
  let tokenizerFiles;
  if (name === 'gpt2-small') {
    ({ tokenizer, tokenizerFiles } = await readCheckpoint(join(hubMirror, 'models/sshleifer/tiny-gpt2')));
  } else {
    const cacheDir = await mkdtemp(join(tmpdir(), 'lora-memory-'));
    const folder = await resolveModelReference({ source: join(hubMirror, 'models/karpathy/tinyllamas/stories260K') }, { cacheDir });
    const donor = await loadLanguageModel(folder);
    ({ tokenizer, tokenizerFiles } = donor);
    donor.dispose();
  }
  const model = createRandomLanguageModel(shape.config, tokenizer, { seed: shape.seed, tokenizerFiles });
  const count = model.info.parameterCount;
  await saveLanguageModel(model, dir);
  model.dispose();
  if (name === 'llama-256') {
    const path = join(dir, 'tokenizer.json');
    await writeFile(path, `${JSON.stringify(padTokenizerJson(JSON.parse(await readFile(path, 'utf8')), shape.config.vocab_size), null, 2)}\n`);
  }
  const check = await readCheckpoint(dir);
  if (check.tokenizer.vocabSize < shape.config.vocab_size) {
    throw new Error(`${dir}: the tokenizer has ${check.tokenizer.vocabSize} entries, fewer than the model's vocabulary`);
  }
  log(`${name}: wrote ${dir} (${count} parameters)`);
  return count;
}

interface Variant {
  readonly name: 'lora' | 'full';
  readonly label: string;
}
const variants: Record<Variant['name'], Variant> = {
  lora: { name: 'lora', label: 'LoRA r 8 (policy + critic)' },
  full: { name: 'full', label: 'no LoRA' },
};

function recipeText(options: { model: string; rewardModel: string; outputDir: string; variant: Variant; iterations: number; minibatch: number }): string {
  const lora = '{ r: 8, alpha: 16, dropout: 0, targetModules: all-linear }';
  return `# Written by tools/bench-models/src/lora-memory.ts (issue #17): one D2LOLS iteration's memory.
name: lora-memory
seed: 0
backend: wasm
outputDir: ${options.outputDir}
task: { id: imdb, options: { trainSize: 64, validationSize: 8, testSize: 8 } }
policy:
  model: ${options.model}${options.variant.name === 'lora' ? `\n  lora: ${lora}` : ''}
${options.variant.name === 'lora' ? `critic:\n  lora: ${lora}\n` : ''}guide: { id: local, options: { model: ${options.model}, batchSize: 8 } }
reward:
  - { id: sentiment, options: { model: ${options.rewardModel}, includePrompt: false } }
metrics:
  - { id: sentiment, options: { model: ${options.rewardModel} } }
algorithm: { name: d2lols, d2lolsSwitchIteration: 1, d2lolsCriticWarmupIterations: 0 }
rollout: { iterations: ${options.iterations}, samplesPerIteration: 8, generationBatchSize: 8, maxNewTokens: 16, minNewTokens: 16 }
optimization: { minibatchSize: ${options.minibatch}, epochs: 1, learningRate: 0.00001 }
evaluation: { every: 0, limit: 1, final: { limit: 1 } }
checkpoint: { every: ${options.iterations}, keep: 1 }
logging: { progress: lines, csv: false }
`;
}

/**
 * Runs `command` under Python, which waits for it (killing it after `timeoutS`) and prints the
 * child's peak RSS (`ru_maxrss` of the waited-for child, killed or not) as the last stderr line.
 */
const rssWrapper = `
import json, resource, subprocess, sys, time
timeout = float(sys.argv[1])
child = subprocess.Popen(sys.argv[2:])
started = time.time()
try:
    code = child.wait(timeout=timeout)
    timed_out = False
except subprocess.TimeoutExpired:
    child.kill()
    code = child.wait()
    timed_out = True
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"peak_rss_mb": peak, "code": code, "timed_out": timed_out, "wall_s": time.time() - started}), file=sys.stderr)
sys.exit(0)
`;

interface RunOutcome {
  readonly shape: ShapeName;
  readonly parameters: number;
  readonly variant: Variant;
  readonly minibatch: number;
  readonly code: number;
  readonly timedOut: boolean;
  readonly wallS: number;
  readonly processPeakRssMb: number;
  readonly rows: Record<string, number | string>[];
  readonly errorLine?: string;
  readonly notes: string[];
  readonly load: string;
  readonly command: string;
}

function runWrapped(args: string[], logPath: string, hubMirror: string): Promise<{ stderr: string; stdout: string }> {
  return new Promise((done, fail) => {
    const child = spawn(python, ['-c', rssWrapper, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', RLGF_HUB_MIRROR: hubMirror } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      for (const line of chunk.toString().split('\n')) if (/iteration|error|Error|sharing|LoRA|lora/.test(line)) process.stderr.write(`    ${line.slice(0, 300)}\n`);
    });
    child.on('error', fail);
    child.on('close', () => {
      void writeFile(logPath, stderr).then(() => done({ stdout, stderr }), fail);
    });
  });
}

/**
 * The line that says why a run failed: the CLI's `rlgf: error:` line, after the XNNPACK status
 * line that an allocation failure inside the wasm heap prints before aborting, when there is one.
 */
function errorLineOf(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('{"peak_rss_mb"'));
  const cli = [...lines].reverse().find((line) => line.startsWith('rlgf: error:'));
  const xnn = lines.find((line) => line.startsWith('XNN status'));
  const named = cli ?? [...lines].reverse().find((line) => /error|abort|out of memory|memory/i.test(line) && !line.startsWith('at '));
  return [xnn, named ?? lines.at(-1) ?? '(no output)'].filter((part) => part !== undefined).join(' → ').slice(0, 400);
}

async function measure(shape: ShapeName, parameters: number, modelDir: string, variant: Variant, options: { dir: string; rewardModel: string; iterations: number; timeoutS: number; hubMirror: string; minibatch: number }): Promise<RunOutcome> {
  const tag = `${shape}-${variant.name}-mb${options.minibatch}`;
  const outputDir = join(options.dir, 'runs', tag);
  await rm(outputDir, { recursive: true, force: true });
  await mkdir(join(options.dir, 'recipes'), { recursive: true });
  const recipePath = join(options.dir, 'recipes', `${tag}.yaml`);
  await writeFile(recipePath, recipeText({ model: modelDir, rewardModel: options.rewardModel, outputDir, variant, iterations: options.iterations, minibatch: options.minibatch }));
  const cli = [process.execPath, 'apps/cli/bin/rlgf.js', 'train', '--verbose', '--config', recipePath];
  const [before] = loadavg().map((load) => load.toFixed(1));
  log(`${shape}, ${variant.label}, minibatch ${options.minibatch}: ${cli.slice(1).join(' ')} (timeout ${options.timeoutS} s, load ${before})`);
  const { stderr } = await runWrapped([String(options.timeoutS), ...cli], join(options.dir, `${tag}.log`), options.hubMirror);
  const load = `${before} → ${loadavg()[0].toFixed(1)}`;
  const wrapper = JSON.parse(stderr.trim().split('\n').reverse().find((line) => line.startsWith('{"peak_rss_mb"')) ?? '{}') as { peak_rss_mb?: number; code?: number; timed_out?: boolean; wall_s?: number };
  const metricsPath = join(outputDir, 'metrics.jsonl');
  const rows = existsSync(metricsPath)
    ? readFileSync(metricsPath, 'utf8')
        .trim()
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as Record<string, number | string>)
    : [];
  const notes = stderr
    .split('\n')
    .filter((line) => /sharing the policy's base weights|LoRA|adapter/i.test(line))
    .map((line) => line.trim().slice(0, 300));
  const code = wrapper.code ?? -1;
  const timedOut = wrapper.timed_out ?? false;
  const outcome: RunOutcome = {
    shape,
    parameters,
    variant,
    minibatch: options.minibatch,
    code,
    timedOut,
    wallS: wrapper.wall_s ?? Number.NaN,
    processPeakRssMb: wrapper.peak_rss_mb ?? Number.NaN,
    rows,
    errorLine: code === 0 ? undefined : timedOut ? `stopped after the ${options.timeoutS} s timeout` : errorLineOf(stderr),
    notes: [...new Set(notes)],
    load,
    command: `node ${cli.slice(1).map((part) => part.replace(`${repoRoot}/`, '')).join(' ')}`,
  };
  // The run's checkpoint and final policy (a full model each without LoRA) are not kept.
  await rm(join(outputDir, 'checkpoints'), { recursive: true, force: true });
  await rm(join(outputDir, 'policy'), { recursive: true, force: true });
  log(`${shape}, ${variant.label}, minibatch ${options.minibatch}: exit ${code}${timedOut ? ' (timeout)' : ''}, peak RSS ${outcome.processPeakRssMb.toFixed(0)} MB, ${rows.length} iteration(s)${outcome.errorLine ? `: ${outcome.errorLine}` : ''}`);
  return outcome;
}

const fmt = (value: unknown, digits = 0) => (typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '—');

function report(outcomes: RunOutcome[], context: { minibatches: number[]; machine: string[]; loadStart: string; loadEnd: string; command: string; iterations: number; timeoutS: number; date: string }): string {
  const lines: string[] = [];
  lines.push('## LoRA: memory of a D2LOLS iteration, one base against four copies (issue #17)', '');
  lines.push(
    `\`${context.command}\` (\`tools/bench-models/src/lora-memory.ts\`): one D2LOLS iteration on the`,
    'wasm backend (tensors in one 32-bit WebAssembly memory, 4 GiB at most) holding the policy, its',
    'frozen reference, the guide critic (its trunk + value head) and a local guide naming the same',
    'model, at two random-weight shapes, with `policy.lora` and `critic.lora` (r 8, α 16, all linear',
    'layers but the head: one frozen base shared by policy, reference, critic and guide; AdamW state',
    'for the adapters and the value head only) and without (a full copy each, AdamW state for every',
    'weight of the policy and the critic). IMDB task, sentiment reward (the default run\'s reward',
    'stage), 8 samples per iteration, generation batch 8, 1 epoch, 16 new tokens after 64-token',
    `prompts, evaluation of 1 prompt before and after; each run in a fresh process. Minibatch ${context.minibatches.join(', then ')}:`,
    'a run that fails is run again with the next smaller minibatch (the update holds the activations',
    'of a whole minibatch; there is no gradient accumulation).',
    `${context.iterations > 1 ? `${context.iterations} iterations: the first AggreVaTeD, then PPO++ (τ = 1), each a row. ` : 'The iteration is AggreVaTeD (D2LOLS before its switch, τ = 1). '}llama-256 uses`,
    "the stories260K tokenizer padded to its 4,096 ids (ids ≥ 512 decode to ` w<id>`), GPT-2 the",
    "tiny-gpt2 tokenizer (GPT-2's). Peak RSS is the process's `ru_maxrss` (as `memory/peak_rss_mb`,",
    'which the run writes per iteration, but also for runs that fail): loading, the rollout, the',
    'update and the checkpoint at the end. tokens/s is `speed/tokens_per_s`: tokens generated in the',
    `iteration (learner and guide) over its wall time. Runs were stopped after ${Math.round(context.timeoutS / 60)} minutes.`,
    '',
  );
  lines.push(`Machine (${context.date}): ${context.machine.join('; ')}; wasm threads: the default (all cores). Shared with other`);
  lines.push(`agents' jobs: load average (1/5/15 min) ${context.loadStart} at the start, ${context.loadEnd} at the end, so times are`);
  lines.push('noisy (each run names its own 1-minute load); memory is not.', '');
  lines.push('| shape | parameters | variant | minibatch | phase | peak RSS (process) | `memory/peak_rss_mb` | tokens/s | iteration (roll-in / roll-out / reward / update) | run wall time | load (1 min) | outcome |');
  lines.push('| --- | ---: | --- | ---: | --- | ---: | ---: | ---: | --- | ---: | --- | --- |');
  for (const outcome of outcomes) {
    const params = `${(outcome.parameters / 1e6).toFixed(1)}M`;
    const status = outcome.code === 0 ? 'completed' : `**failed** (exit ${outcome.code}): ${outcome.errorLine?.replace(/\|/g, '\\|') ?? ''}`;
    const iterations = outcome.rows.length > 0 ? outcome.rows : [undefined];
    iterations.forEach((row, index) => {
      const times = row
        ? `${fmt(Number(row['time/iteration_ms']) / 1000, 1)} s (${fmt(Number(row['time/roll_in_ms']) / 1000, 1)} / ${fmt(Number(row['time/roll_out_ms']) / 1000, 1)} / ${fmt(Number(row['time/reward_ms']) / 1000, 1)} / ${fmt(Number(row['time/update_ms']) / 1000, 1)})`
        : '—';
      lines.push(
        `| ${outcome.shape} | ${params} | ${outcome.variant.label} | ${outcome.minibatch} | ${row ? String(row['phase']) : '—'} | ${index === 0 ? `${fmt(outcome.processPeakRssMb)} MB` : ''} | ${row ? `${fmt(Number(row['memory/peak_rss_mb']))} MB` : '—'} | ${row ? fmt(Number(row['speed/tokens_per_s']), 1) : '—'} | ${times} | ${index === 0 ? `${fmt(outcome.wallS)} s` : ''} | ${index === 0 ? outcome.load : ''} | ${index === 0 ? status : ''} |`,
      );
    });
  }
  lines.push('');
  const describe = (o: RunOutcome) =>
    o.code === 0 ? `completes at minibatch ${o.minibatch}, ${fmt(o.processPeakRssMb)} MB peak RSS` : `fails at minibatch ${o.minibatch} after ${fmt(o.wallS)} s, ${fmt(o.processPeakRssMb)} MB peak RSS: \`${o.errorLine}\``;
  for (const shape of Object.keys(shapes) as ShapeName[]) {
    const runs = outcomes.filter((o) => o.shape === shape);
    if (runs.length === 0) continue;
    const weightsMb = ((runs[0]?.parameters ?? 0) * 4) / 2 ** 20;
    const parts = (['lora', 'full'] as const).map((name) => {
      const of = runs.filter((o) => o.variant.name === name);
      return of.length === 0 ? undefined : `${variants[name].label}: ${of.map(describe).join('; ')}`;
    });
    lines.push(`- **${shape}** (${shapes[shape].description}; float32 weights ${fmt(weightsMb)} MB). ${parts.filter((p) => p !== undefined).join('. ')}.`);
  }
  const shared = outcomes.filter((o) => o.variant.name === 'lora' && o.notes.some((n) => n.includes("sharing the policy's base weights")));
  if (shared.length > 0) lines.push(`- The LoRA runs' logs say the guide shares the base (${shared.map((o) => o.shape).join(', ')}): \`${(shared[0]?.notes.find((n) => n.includes('sharing')) ?? '').replace(/^.*?(guide:)/, '$1')}\`.`);
  lines.push('', 'Commands, per run (recipes written to the run folder):', '');
  for (const outcome of outcomes) lines.push(`    ${outcome.command}`);
  lines.push('');
  return lines.join('\n');
}

const startMarker = '<!-- lora-memory:start (written by tools/bench-models/src/lora-memory.ts; replaced when it runs again) -->';
const endMarker = '<!-- lora-memory:end -->';

async function writeSection(docPath: string, body: string): Promise<void> {
  const text = await readFile(docPath, 'utf8');
  const section = `${startMarker}\n${body}${endMarker}\n`;
  const start = text.indexOf('<!-- lora-memory:start');
  const end = text.indexOf(endMarker);
  let next: string;
  if (start >= 0 && end > start) next = `${text.slice(0, start)}${section}${text.slice(end + endMarker.length + 1)}`;
  else {
    const appendix = text.indexOf('\n## Appendix');
    next = appendix >= 0 ? `${text.slice(0, appendix + 1)}${section}\n${text.slice(appendix + 1)}` : `${text.trimEnd()}\n\n${section}`;
  }
  await writeFile(docPath, next);
}

async function main(): Promise<void> {
  const hubMirror = process.env.RLGF_HUB_MIRROR ?? '/work/shared/hub';
  const dir = resolve(repoRoot, flag('dir') ?? 'runs/lora-memory');
  const rewardModel = resolve(repoRoot, flag('reward-model') ?? 'runs/imdb-d2lols/stages/reward');
  const only = (flag('only') ?? 'stories260K,llama-256,gpt2-small').split(',') as ShapeName[];
  const chosen = (flag('variants') ?? 'lora,full').split(',').map((name) => variants[name as Variant['name']]);
  const iterations = Number(flag('iterations') ?? 1);
  const minibatches = (flag('minibatch') ?? '8,1').split(',').map(Number);
  if (minibatches.some((m) => !(m > 0 && 8 % m === 0))) throw new Error('--minibatch: divisors of 8, largest first (e.g. 8,1)');
  const timeoutS = Number(flag('timeout-min') ?? 15) * 60;
  for (const name of only) if (!(name in shapes)) throw new Error(`--only: unknown shape ${name} (${Object.keys(shapes).join(', ')})`);
  if (chosen.some((variant) => variant === undefined)) throw new Error('--variants: lora, full');
  if (!existsSync(join(rewardModel, 'STAGE.json')) && !existsSync(rewardModel)) {
    throw new Error(`no reward classifier at ${rewardModel}: run the default recipe's reward stage first (npx nx run cli:train) or pass --reward-model`);
  }
  const loadStart = loadavg().map((v) => v.toFixed(2)).join(' / ');
  const machine = await describeMachine();
  await setBackend('wasm');
  const models: Partial<Record<ShapeName, { dir: string; parameters: number }>> = {};
  for (const name of only) {
    const modelDir = join(dir, 'models', name);
    models[name] = { dir: modelDir, parameters: await writeCheckpointOf(name, modelDir, hubMirror) };
  }
  const outcomes: RunOutcome[] = [];
  for (const name of only) {
    for (const variant of chosen) {
      // The largest minibatch that completes: a smaller one is tried only after a failure.
      for (const minibatch of minibatches) {
        const model = models[name];
        if (!model) throw new Error(`no model for shape ${name}`);
        const outcome = await measure(name, model.parameters, model.dir, variant, { dir, rewardModel, iterations, timeoutS, hubMirror, minibatch });
        outcomes.push(outcome);
        if (outcome.code === 0 || outcome.timedOut) break;
      }
    }
  }
  const loadEnd = loadavg().map((v) => v.toFixed(2)).join(' / ');
  const args = process.argv.slice(2).filter((arg, index, all) => arg !== '--doc' && all[index - 1] !== '--doc');
  const body = report(outcomes, { machine, loadStart, loadEnd, command: `npx tsx tools/bench-models/src/lora-memory.ts${args.length > 0 ? ` ${args.join(' ')}` : ''}`, iterations, timeoutS, minibatches, date: new Date().toISOString().slice(0, 10) });
  process.stdout.write(body);
  await writeFile(join(dir, 'report.md'), body);
  if (!has('no-doc')) {
    const docPath = resolve(repoRoot, flag('doc') ?? 'docs/results/performance.md');
    await writeSection(docPath, body);
    log(`wrote the section into ${docPath}`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
