/** Whether a run's critics train on a thread of their own, and how the kernel threads are shared. */
export type CriticThreadPlan =
  | { readonly onOwnThread: true; readonly criticThreads: number; readonly mainThreads: number }
  | { readonly onOwnThread: false; readonly reason: string };

export interface CriticThreadFacts {
  /** The recipe's `critic.thread`. */
  readonly setting: 'auto' | 'main';
  readonly criticCount: number;
  /** Kernel threads the run may use (`--threads`, the recipe's `threads`, else the cores). */
  readonly threads: number;
  readonly backend: string;
  readonly sharedTrunk: boolean;
  /** The critic trains a LoRA adapter on a base it shares with the policy and reference. */
  readonly criticLora: boolean;
  /** The critic's trunk carries its tokenizer files (the thread rebuilds the model from them). */
  readonly tokenizerFiles: boolean;
  /** The trunk's architecture is a built-in one (a plugin's registry does not reach the thread). */
  readonly builtInArchitecture: boolean;
  /**
   * The critic's model lays out a continuation batch as the policy does (pad token, family): on
   * its thread it lays out its own batches, on the main thread it reads the policy's.
   */
  readonly sameBatchLayout: boolean;
}

/**
 * A critic moves to its own thread only where that is a pure gain: a separate whole model (a
 * LoRA critic shares the base the policy reads; a shared trunk is the policy), on backends whose
 * kernels run on this process's cores (wasm, cpu: webgpu's work is on the device, tfjs-node has
 * its own threads), with at least two threads to share.
 */
export function criticThreadPlan(facts: CriticThreadFacts): CriticThreadPlan {
  const main = (reason: string): CriticThreadPlan => ({ onOwnThread: false, reason });
  if (facts.setting === 'main') return main('critic.thread is main');
  if (facts.criticCount === 0) return main('the algorithm trains no critic');
  if (facts.threads < 2) return main('the run uses one thread');
  if (facts.backend !== 'wasm' && facts.backend !== 'cpu') return main(`the ${facts.backend} backend does not run its kernels on this process's threads`);
  if (facts.sharedTrunk) return main("the critic's head sits on the policy's trunk");
  if (facts.criticLora) return main('the critic is a LoRA adapter on the base the policy shares');
  if (!facts.tokenizerFiles) return main("the critic's trunk has no tokenizer files to rebuild it from");
  if (!facts.builtInArchitecture) return main("the critic's architecture comes from a plugin");
  if (!facts.sameBatchLayout) return main("the critic's model pads or starts sequences unlike the policy's");
  const criticThreads = Math.floor(facts.threads / 2);
  return { onOwnThread: true, criticThreads, mainThreads: facts.threads - criticThreads };
}

/** Largest policy the critic thread copies to generate beside it (a copy costs 4 bytes per parameter there, sent at every rollout and evaluation). */
export const policyCopyLimit = 200_000_000;

export interface PolicyCopyFacts {
  /** The policy trains a LoRA adapter on a shared frozen base (the thread would need the base too). */
  readonly policyLora: boolean;
  /** The policy carries its tokenizer files (the thread rebuilds the model from them). */
  readonly tokenizerFiles: boolean;
  /** The policy's architecture is a built-in one (a plugin's registry does not reach the thread). */
  readonly builtInArchitecture: boolean;
  readonly parameterCount: number;
}

/**
 * Whether the critic thread (where there is one) also generates chunks of rollouts and
 * evaluations and scores metric batches with a copy of the policy: where a copy is cheap next to
 * the work it shares.
 */
export function policyCopyPlan(facts: PolicyCopyFacts): { readonly holdsPolicy: true } | { readonly holdsPolicy: false; readonly reason: string } {
  const no = (reason: string) => ({ holdsPolicy: false as const, reason });
  if (facts.policyLora) return no('the policy is a LoRA adapter on a shared base');
  if (!facts.tokenizerFiles) return no('the policy has no tokenizer files to rebuild it from');
  if (!facts.builtInArchitecture) return no("the policy's architecture comes from a plugin");
  if (facts.parameterCount > policyCopyLimit) return no(`the policy has more than ${policyCopyLimit / 1e6}M parameters (a copy would double its memory)`);
  return { holdsPolicy: true };
}
