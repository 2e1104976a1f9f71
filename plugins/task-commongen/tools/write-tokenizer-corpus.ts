// Writes the text the CommonGen tokenizer is trained on: every train prompt and reference, one per
// line. Run from the repository root (RLGF_HUB_MIRROR set):
//   npx tsx plugins/task-commongen/tools/write-tokenizer-corpus.ts /tmp/commongen-corpus.txt
import { createHubFiles, hubSettingsFromEnv } from '@rlgf/hub';
import { writeFileSync } from 'node:fs';
import { createCommonGenTask } from '../src/commongen-task';
import { commonGenTaskOptions } from '../src/commongen-options';

async function main(out: string): Promise<void> {
  const task = createCommonGenTask({ hub: createHubFiles(hubSettingsFromEnv()), options: commonGenTaskOptions.parse({}) });
  const samples = await task.doLoadSamples({ split: 'train' });
  const lines = samples.flatMap((sample) => [sample.prompt, ...sample.references]);
  writeFileSync(out, `${lines.join('\n')}\n`);
  process.stdout.write(`${samples.length} concept sets, ${lines.length} lines -> ${out}\n`);
}

main(process.argv[2] ?? 'commongen-corpus.txt').catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
