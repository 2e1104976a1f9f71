import { resolve } from 'node:path';
import { setBackend, setThreads } from '@rlgf/models';
import { isConfigName, loadConfig } from './configs';
import { measureGeneration, measurePpoUpdate, newTokens, promptTokens } from './measure';

// One measurement of @rlgf/models in a process of its own (peak RSS is that measurement's, and a
// wasm heap never shrinks): tsx child.ts <config> generate|ppo-update <batch or rows> <backend> <repeats> <threads>
async function main(): Promise<void> {
  const [config, measure, size, backend, repeats, threads] = process.argv.slice(2);
  if (!isConfigName(config) || (measure !== 'generate' && measure !== 'ppo-update')) throw new Error(`bad arguments ${process.argv.slice(2).join(' ')}`);
  setThreads(threads === undefined ? undefined : Number(threads));
  await setBackend(backend);
  const model = await loadConfig(config, resolve(process.env.RLGF_HUB_MIRROR ?? '../shared/hub'));
  const result =
    measure === 'generate'
      ? await measureGeneration(model, Number(size), Number(repeats))
      : await measurePpoUpdate(model, Number(size), promptTokens + newTokens, Number(repeats));
  model.dispose();
  process.stdout.write(`${JSON.stringify({ ...result, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
