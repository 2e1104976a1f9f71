// npx tsx tools/bench-models/src/lora-decode.ts [--repeats 3] [--batch 1]
// What applying a LoRA adapter unmerged costs in decoding (issue #17): llama-256 on wasm, the base
// alone (whole-layer decode kernel) against base + an all-linear r = 8 adapter (the kernel skipped
// for adapted layers, the update beside each product), same prompts and sampling.
import { allLinear, LoraBase, setBackend } from '@rlgf/models';
import { loadConfig } from './configs';
import { measureGeneration } from './measure';

const arg = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? fallback : Number(process.argv[index + 1]);
};

async function main(): Promise<void> {
  const repeats = arg('repeats', 3);
  const batch = arg('batch', 1);
  await setBackend('wasm');
  const base = LoraBase.of(await loadConfig('llama-256', process.env.RLGF_HUB_MIRROR ?? '/work/shared/hub'));
  const plain = base.view();
  const adapted = base.view(base.createAdapter({ r: 8, alpha: 64, dropout: 0, targetModules: allLinear, rslora: false }, { seed: 0, trainable: false }));
  const rows: Record<string, unknown>[] = [];
  for (const [name, model] of [['base', plain], ['base + adapter (all-linear, r 8)', adapted]] as const) {
    const result = await measureGeneration(model, batch, repeats);
    const sorted = [...result.tokensPerSecond].sort((a, b) => a - b);
    rows.push({ model: name, batch, tokensPerSecondMedian: sorted[Math.floor(sorted.length / 2)], all: result.tokensPerSecond.map((v) => Number(v.toFixed(1))), kernelsPerToken: result.kernels });
  }
  process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  adapted.dispose();
  plain.dispose();
}

void main();
