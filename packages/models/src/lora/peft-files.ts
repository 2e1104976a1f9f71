import { ModelFormatError } from '@rlgf/contracts';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSafetensorsFile } from '../safetensors/read-safetensors';
import { serializeSafetensors } from '../safetensors/write-safetensors';
import type { TrainableLanguageModel } from '../model/trainable-language-model';
import { LoraAdapter, type PeftFactors } from './lora-adapter';
import type { LoraBase } from './lora-model';
import { loraParts } from './lora-model';
import { inFeatures, moduleName, type LoraSite } from './lora-site';
import { allLinear } from './lora-targets';
import { adapterConfigFile, adapterWeightsFile, parsePeftConfig, peftConfigJson } from './peft-config';

/** Safetensors metadata keys of the adapter's dropout stream (its random state, for exact resumes; PEFT ignores them). */
const dropoutDrawsKey = 'rlgf_dropout_draws';
const dropoutSeedKey = 'rlgf_dropout_seed';
const keyPattern = /^base_model\.model\.(.+)\.lora_([AB])\.weight$/;

/**
 * Reads a PEFT LoRA adapter directory (`adapter_config.json` + `adapter_model.safetensors`) for
 * `base`. The tensors decide which modules are adapted; each must name a module of the base with
 * the shapes it has there, or loading fails naming the tensor, both shapes and the adapter's base.
 */
export async function loadPeftAdapter(base: LoraBase, dir: string, options: { readonly seed: number; readonly trainable?: boolean }): Promise<LoraAdapter> {
  const configPath = join(dir, adapterConfigFile);
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(await readFile(configPath, 'utf8')) as Record<string, unknown>;
  } catch (cause) {
    throw new ModelFormatError({ file: configPath, message: `cannot be read as JSON (${cause instanceof Error ? cause.message : String(cause)})`, hint: 'pass a directory PEFT saved with save_pretrained', cause });
  }
  const { settings, baseModel } = parsePeftConfig(json, configPath);
  const weightsPath = join(dir, adapterWeightsFile);
  const contents = await readSafetensorsFile(weightsPath);
  const sites = new Map(base.sites.map((site) => [site.module, site]));
  const factors = new Map<string, { a?: PeftFactors['a']; b?: PeftFactors['b'] }>();
  const fail = (message: string) => new ModelFormatError({ file: weightsPath, message: `${message} (the adapter was made for ${baseModel})`, hint: 'load it on the model it was made for' });
  for (const [name, tensor] of contents.tensors) {
    const match = keyPattern.exec(name);
    if (match === null) throw fail(`tensor ${name} is not a LoRA factor (base_model.model.<module>.lora_A.weight or lora_B.weight)`);
    const [, module, factor] = match;
    const site = sites.get(module);
    if (site === undefined) throw fail(`tensor ${name} adapts ${module}, which this ${base.modelType} model does not have`);
    const expected = factor === 'A' ? [settings.r, inFeatures(site)] : [site.width, settings.r];
    if (tensor.shape.length !== 2 || tensor.shape[0] !== expected[0] || tensor.shape[1] !== expected[1]) {
      throw fail(`tensor ${name} has shape [${tensor.shape.join(', ')}], this model needs [${expected.join(', ')}]`);
    }
    const entry = factors.get(module) ?? {};
    factors.set(module, factor === 'A' ? { ...entry, a: tensor } : { ...entry, b: tensor });
  }
  const adapted: LoraSite[] = [];
  const complete = new Map<string, PeftFactors>();
  for (const site of base.sites) {
    const entry = factors.get(site.module);
    if (entry === undefined) continue;
    if (entry.a === undefined || entry.b === undefined) throw fail(`module ${site.module} has lora_${entry.a ? 'A' : 'B'} without lora_${entry.a ? 'B' : 'A'}`);
    adapted.push(site);
    complete.set(site.module, { a: entry.a, b: entry.b });
  }
  if (adapted.length === 0) throw fail('holds no LoRA factors');
  const seed = contents.metadata[dropoutSeedKey] === undefined ? options.seed : Number(contents.metadata[dropoutSeedKey]);
  const adapter = LoraAdapter.fromPeft(adapted, settings, complete, { ...options, seed });
  adapter.dropoutDraws = Number(contents.metadata[dropoutDrawsKey] ?? 0);
  return adapter;
}

/** Writes `adapter` as PEFT's `save_pretrained` does: `adapter_config.json` and `adapter_model.safetensors` in `dir`. */
export async function savePeftAdapter(adapter: LoraAdapter, dir: string, options: { readonly baseModel: string; readonly encoderDecoder: boolean }): Promise<void> {
  await mkdir(dir, { recursive: true });
  const fanInFanOut = adapter.sites.some((site) => site.conv1d === true);
  // PEFT saves `all-linear` expanded to the module names it matched; so does this.
  const { targetModules } = adapter.settings;
  const targets = targetModules === allLinear ? [...new Set(adapter.sites.map(moduleName))].sort() : targetModules;
  await writeFile(join(dir, adapterConfigFile), peftConfigJson(adapter.settings, { baseModel: options.baseModel, encoderDecoder: options.encoderDecoder, fanInFanOut, targetModules: targets }));
  await writeFile(join(dir, adapterWeightsFile), serializeSafetensors(await adapter.toPeft(), { metadata: { format: 'pt', [dropoutSeedKey]: String(adapter.seed), [dropoutDrawsKey]: String(adapter.dropoutDraws) } }));
}

/** The adapter of a LoRA model, or a clear error for a model with full weights. */
export function adapterOf(model: TrainableLanguageModel): LoraAdapter {
  const adapter = loraParts(model)?.adapter;
  if (adapter === undefined) throw new ModelFormatError({ file: 'model', message: 'has no LoRA adapter', hint: 'create it with LoraBase.view(adapter)' });
  return adapter;
}
