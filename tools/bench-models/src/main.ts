import { resolve } from 'node:path';
import { activeBackend, isBackendName, setBackend } from '@rlgf/models';
import { gpt2Small, gpt4x128, stories260K, type BenchModel } from './bench-models';
import { generationSpeed, trainingSpeed } from './measure';

// npm run bench:models [-- --backend wasm|cpu] [--only stories260K|gpt-4x128|gpt2] [--batches 1,16,64] [--gpt2-train]
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 && index + 1 < args.length ? args[index + 1] : fallback;
};

async function benchOne(entry: BenchModel, batches: number[]): Promise<string[]> {
  const rows: string[] = [];
  const format = (value: number) => (value >= 100 ? value.toFixed(0) : value.toPrecision(3));
  for (const batch of batches) {
    const cached = await generationSpeed(entry.model, batch, entry.promptTokens, entry.newTokens, true);
    const uncached = await generationSpeed(entry.model, batch, entry.promptTokens, entry.newTokens, false);
    rows.push(`| ${entry.name} | generate, batch ${batch} (${entry.promptTokens}+${entry.newTokens} tokens) | ${format(cached)} | ${format(uncached)} |`);
    console.error(rows[rows.length - 1]);
  }
  if (entry.trainSkipped !== undefined) {
    rows.push(`| ${entry.name} | train step 16 x 112: ${entry.trainSkipped} | | |`);
    return rows;
  }
  const training = trainingSpeed(entry.model, 16, 112, entry.trainSteps, entry.trainMicroRows);
  rows.push(`| ${entry.name} | train step 16 x 112 (forward + backward + AdamW; micro-batches of ${entry.trainMicroRows} rows; ${entry.trainSteps} steps) | ${format(training)} | |`);
  console.error(rows[rows.length - 1]);
  return rows;
}

async function main(): Promise<void> {
  const backend = option('backend', 'wasm');
  if (!isBackendName(backend)) throw new Error(`unknown backend ${backend}`);
  await setBackend(backend);
  const only = option('only', 'all');
  const batches = option('batches', '1,16,64').split(',').map(Number).filter((batch) => batch > 0);
  const mirror = resolve(process.env.RLGF_HUB_MIRROR ?? '../shared/hub');
  const rows = ['| model | measurement | tokens/s (KV cache) | tokens/s (no cache) |', '| --- | --- | ---: | ---: |'];
  if (only === 'all' || only === 'stories260K') {
    const entry = await stories260K(mirror);
    rows.push(...(await benchOne(entry, batches)));
    entry.model.dispose();
  }
  if (only === 'all' || only === 'gpt-4x128') {
    const entry = await gpt4x128(mirror);
    rows.push(...(await benchOne(entry, batches)));
    entry.model.dispose();
  }
  if (only === 'all' || only === 'gpt2') {
    const entry = await gpt2Small(mirror, args.includes('--gpt2-train'));
    rows.push(...(await benchOne(entry, batches)));
    entry.model.dispose();
  }
  console.log(`backend: ${activeBackend()}\n\n${rows.join('\n')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
