/** What a LoRA adapter is: PEFT's `LoraConfig` fields this package implements. */
export interface LoraSettings {
  /** Rank of the update (`r`). */
  readonly r: number;
  /** `lora_alpha`: the update is scaled by alpha / r (alpha / √r with `rslora`). */
  readonly alpha: number;
  /** `lora_dropout`: dropout on each adapted layer's input, in training only. */
  readonly dropout: number;
  /**
   * `target_modules`: module names matched as PEFT does (a module path equal to an entry or ending
   * in `.entry`), or one string matched as a regular expression against the whole path.
   */
  readonly targetModules: readonly string[] | string;
  /** `use_rslora`: rank-stabilised scaling alpha / √r (Kalajdzievski 2023). */
  readonly rslora: boolean;
}

/** PEFT's `scaling`: alpha / r, or alpha / √r for rsLoRA. */
export function loraScale(settings: Pick<LoraSettings, 'r' | 'alpha' | 'rslora'>): number {
  return settings.rslora ? settings.alpha / Math.sqrt(settings.r) : settings.alpha / settings.r;
}
