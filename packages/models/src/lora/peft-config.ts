import { ModelFormatError } from '@rlgf/contracts';
import type { LoraSettings } from './lora-settings';

export const adapterConfigFile = 'adapter_config.json';
export const adapterWeightsFile = 'adapter_model.safetensors';

/** What an `adapter_config.json` says that loading needs. */
export interface PeftAdapterConfig {
  readonly settings: LoraSettings;
  /** `base_model_name_or_path`: the model the adapter was trained on (for error messages). */
  readonly baseModel: string;
}

/**
 * PEFT `LoraConfig` fields whose use changes what the adapter computes and that this package does
 * not implement: loading such an adapter fails naming the feature instead of computing wrongly.
 */
const unsupported: readonly [field: string, used: (value: unknown) => boolean, feature: string | ((value: unknown) => string)][] = [
  ['use_dora', (v) => v === true, 'DoRA (use_dora)'],
  ['bias', (v) => v !== undefined && v !== 'none', (v) => `bias training (bias ${JSON.stringify(v)})`],
  ['modules_to_save', nonEmpty, 'fully trained modules (modules_to_save)'],
  ['layers_to_transform', nonEmpty, 'layers_to_transform'],
  ['rank_pattern', nonEmpty, 'per-module ranks (rank_pattern)'],
  ['alpha_pattern', nonEmpty, 'per-module alphas (alpha_pattern)'],
  ['lora_bias', (v) => v === true, 'a bias on lora_B (lora_bias)'],
  ['layer_replication', nonEmpty, 'layer_replication'],
  ['target_parameters', nonEmpty, 'target_parameters'],
  ['trainable_token_indices', nonEmpty, 'trainable_token_indices'],
  ['use_qalora', (v) => v === true, 'QALoRA (use_qalora)'],
  ['alora_invocation_tokens', nonEmpty, 'activated LoRA (alora_invocation_tokens)'],
  ['use_bdlora', (v) => v === true, 'block-diagonal LoRA (use_bdlora)'],
  ['megatron_config', nonEmpty, 'Megatron parallel layers (megatron_config)'],
];

function nonEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** Reads PEFT's `adapter_config.json` (already parsed); refuses other PEFT methods and LoRA features not implemented. */
export function parsePeftConfig(json: Readonly<Record<string, unknown>>, file: string): PeftAdapterConfig {
  const baseModel = typeof json['base_model_name_or_path'] === 'string' ? json['base_model_name_or_path'] : 'an unnamed base';
  const fail = (message: string, hint?: string) => new ModelFormatError({ file, message, hint });
  if (json['peft_type'] !== 'LORA') throw fail(`peft_type ${JSON.stringify(json['peft_type'])} is not supported`, 'only LoRA adapters (peft_type LORA) load here');
  for (const [field, used, feature] of unsupported) {
    if (used(json[field])) {
      const detail = typeof feature === 'string' ? feature : feature(json[field]);
      throw fail(`uses ${detail}, which this package does not implement`, 'merge it with PEFT (merge_and_unload) and load the merged model instead');
    }
  }
  const r = json['r'];
  const alpha = json['lora_alpha'] ?? 8;
  const dropout = json['lora_dropout'] ?? 0;
  if (typeof r !== 'number' || !Number.isInteger(r) || r < 1) throw fail(`r ${JSON.stringify(r)} is not a positive integer`);
  if (typeof alpha !== 'number') throw fail(`lora_alpha ${JSON.stringify(alpha)} is not a number`);
  if (typeof dropout !== 'number' || dropout < 0 || dropout >= 1) throw fail(`lora_dropout ${JSON.stringify(dropout)} is not in [0, 1)`);
  const targets = json['target_modules'];
  const targetModules = typeof targets === 'string' ? targets : Array.isArray(targets) ? targets.map(String) : [];
  return { settings: { r, alpha, dropout, targetModules, rslora: json['use_rslora'] === true }, baseModel };
}

/**
 * `adapter_config.json` as PEFT's `save_pretrained` writes it (the LoraConfig fields at their
 * defaults, sorted keys, two-space indent), so PEFT loads it unchanged.
 */
export function peftConfigJson(
  settings: LoraSettings,
  options: { readonly baseModel: string; readonly encoderDecoder: boolean; readonly fanInFanOut: boolean; readonly targetModules: string | readonly string[] },
): string {
  const config = {
    alpha_pattern: {},
    auto_mapping: null,
    base_model_name_or_path: options.baseModel,
    bias: 'none',
    fan_in_fan_out: options.fanInFanOut,
    inference_mode: true,
    init_lora_weights: true,
    layers_pattern: null,
    layers_to_transform: null,
    lora_alpha: settings.alpha,
    lora_dropout: settings.dropout,
    modules_to_save: null,
    peft_type: 'LORA',
    r: settings.r,
    rank_pattern: {},
    revision: null,
    target_modules: options.targetModules,
    task_type: options.encoderDecoder ? 'SEQ_2_SEQ_LM' : 'CAUSAL_LM',
    use_dora: false,
    use_rslora: settings.rslora,
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
