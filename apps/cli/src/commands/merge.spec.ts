import { serializeSafetensors, type HostTensor } from '@rlgf/models';
import { sharedHubMirror } from '@rlgf/testing';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../testing/run-cli';

/**
 * A PEFT adapter on q_proj and v_proj of every layer, written here by hand (not by this project's
 * writer) with seeded values large enough to change what the model says.
 */
async function writeAdapter(dir: string, config: Record<string, number>, options: { readonly r: number; readonly vOut?: number }): Promise<void> {
  const { hidden_size: hidden, num_attention_heads: heads, num_key_value_heads: kvHeads, num_hidden_layers: layers } = config;
  const vOut = options.vOut ?? (hidden / heads) * kvHeads;
  let state = 7;
  const random = (n: number) => Float32Array.from({ length: n }, () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.6);
  const tensors = new Map<string, HostTensor>();
  for (let layer = 0; layer < layers; layer++) {
    for (const [module, out] of [['q_proj', hidden], ['v_proj', vOut]] as const) {
      const prefix = `base_model.model.model.layers.${layer}.self_attn.${module}`;
      tensors.set(`${prefix}.lora_A.weight`, { shape: [options.r, hidden], data: random(options.r * hidden) });
      tensors.set(`${prefix}.lora_B.weight`, { shape: [out, options.r], data: random(out * options.r) });
    }
  }
  await mkdir(dir, { recursive: true });
  const peft = { base_model_name_or_path: 'stories', peft_type: 'LORA', r: options.r, lora_alpha: 2 * options.r, lora_dropout: 0, target_modules: ['q_proj', 'v_proj'], bias: 'none', use_dora: false };
  await writeFile(join(dir, 'adapter_config.json'), JSON.stringify(peft));
  await writeFile(join(dir, 'adapter_model.safetensors'), serializeSafetensors(tensors, { metadata: { format: 'pt' } }));
}

describe('rlgf generate --adapter and rlgf merge', () => {
  const stories = join(sharedHubMirror(), 'models/karpathy/tinyllamas/stories260K');
  let scratch: string;
  const ids = async (args: string[]) => {
    const result = await runCli(['generate', '--prompt', 'Once upon a time', '--max-new-tokens', '10', '--format', 'json', ...args], { cwd: scratch });
    expect(result.stderr).toBe('');
    return (JSON.parse(result.stdout) as { ids: number[] }).ids;
  };

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'rlgf-cli-merge-'));
    const convert = ['convert', 'llama2c', '--checkpoint', join(stories, 'stories260K.bin'), '--tokenizer', join(stories, 'tok512.bin'), '--out', 'stories'];
    expect((await runCli(convert, { cwd: scratch })).code).toBe(0);
    const config = JSON.parse(await readFile(join(scratch, 'stories', 'config.json'), 'utf8')) as Record<string, number>;
    await writeAdapter(join(scratch, 'adapter'), config, { r: 4 });
    await writeAdapter(join(scratch, 'wrong-shape'), config, { r: 4, vOut: config.hidden_size + 1 });
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it('merges into a Hub folder that loads with no adapter and decodes greedily as base + adapter', async () => {
    const plain = await ids(['--model', 'stories']);
    const adapted = await ids(['--model', 'stories', '--adapter', 'adapter']);
    // The adapter changes the continuation, else the comparison below proves nothing.
    expect(adapted).not.toEqual(plain);

    const merge = await runCli(['merge', '--model', 'stories', '--adapter', 'adapter', '--out', 'merged', '--json'], { cwd: scratch });
    expect(merge.stderr).toBe('');
    expect(merge.code).toBe(0);
    expect(existsSync(join(scratch, 'merged', 'model.safetensors'))).toBe(true);
    expect(existsSync(join(scratch, 'merged', 'tokenizer.json'))).toBe(true);
    expect(existsSync(join(scratch, 'merged', 'adapter_config.json'))).toBe(false);
    expect(await ids(['--model', 'merged'])).toEqual(adapted);
  });

  it('refuses a wrong adapter in one line, naming the tensor and the base it was made for', async () => {
    const wrong = await runCli(['generate', '--model', 'stories', '--adapter', 'wrong-shape', '--prompt', 'Lily'], { cwd: scratch });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
    expect(wrong.stderr).toContain('base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight');
    expect(wrong.stderr).toContain('made for stories');
    const missing = await runCli(['merge', '--model', 'stories', '--adapter', 'stories', '--out', 'x'], { cwd: scratch });
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('--adapter');
    expect(existsSync(join(scratch, 'x'))).toBe(false);
  });
});
