import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './processes';
import { torchMeasure } from './torch';

/** Single-stream speed of llama2.c's run.c on one model: tokens/s of each run. */
export interface CFloor {
  readonly tokensPerSecond: number[];
  readonly command: string;
}

/**
 * A llama2.c tokenizer file for a random-weight model: `<unk>`, `<s>`, `</s>`, 256 byte tokens,
 * then placeholders; run.c only needs it to print (and this benchmark discards the text).
 */
function placeholderTokenizer(vocab: number): Buffer {
  const pieces = Array.from({ length: vocab }, (_, i) =>
    i === 0 ? '<unk>' : i === 1 ? '<s>' : i === 2 ? '</s>' : i < 259 ? `<0x${(i - 3).toString(16).toUpperCase().padStart(2, '0')}>` : ` t${i}`,
  );
  const parts: Buffer[] = [];
  const header = Buffer.alloc(4);
  header.writeInt32LE(Math.max(...pieces.map((piece) => piece.length)));
  parts.push(header);
  for (const piece of pieces) {
    const entry = Buffer.alloc(8);
    entry.writeFloatLE(0, 0);
    entry.writeInt32LE(Buffer.byteLength(piece), 4);
    parts.push(entry, Buffer.from(piece));
  }
  return Buffer.concat(parts);
}

/**
 * Compiles llama2.c's run.c (`gcc -O3`, as its README builds `run`) and times single-stream
 * sampling (temperature 1) of `steps` positions, `repeats` times. The llama-256 checkpoint is
 * written by the PyTorch side in llama2.c's format with a placeholder tokenizer.
 */
export async function measureCFloor(options: {
  readonly runC: string;
  readonly benchDir: string;
  readonly hubMirror: string;
  readonly config: 'stories260K' | 'llama-256';
  readonly steps: number;
  readonly repeats: number;
}): Promise<CFloor | string> {
  if (!existsSync(options.runC)) return `run.c not found at ${options.runC} (see tools/llama2c-reference/README.md; pass --llama2c <path>)`;
  const dir = await mkdtemp(join(tmpdir(), 'bench-llama2c-'));
  const binary = join(dir, 'run');
  const compiled = await run('gcc', ['-O3', '-o', binary, options.runC, '-lm']);
  if (compiled.code !== 0) return `gcc failed: ${compiled.stderr.slice(0, 500)}`;
  let model = join(options.hubMirror, 'models/karpathy/tinyllamas/stories260K/stories260K.bin');
  let tokenizer = join(options.hubMirror, 'models/karpathy/tinyllamas/stories260K/tok512.bin');
  if (options.config === 'llama-256') {
    model = join(dir, 'llama-256.bin');
    tokenizer = join(dir, 'tok4096.bin');
    await torchMeasure(options.benchDir, options.hubMirror, 1, ['--config', 'llama-256', '--write-llama2c', model]);
    await writeFile(tokenizer, placeholderTokenizer(4096));
    if (!existsSync(model)) return 'could not write the llama-256 checkpoint in llama2.c format';
  }
  const args = [model, '-z', tokenizer, '-t', '1.0', '-p', '1.0', '-n', String(options.steps)];
  const tokensPerSecond: number[] = [];
  for (let i = 0; i < options.repeats; i++) {
    const result = await run(binary, [...args, '-s', String(i + 1)]);
    const match = /achieved tok\/s: ([0-9.]+)/.exec(result.stderr + result.stdout);
    if (match) tokensPerSecond.push(Number(match[1]));
  }
  if (tokensPerSecond.length === 0) return 'run.c printed no speed';
  return { tokensPerSecond, command: `gcc -O3 run.c -lm; ./run <model> -z <tokenizer> ${args.slice(3).join(' ')} -s <seed>` };
}
