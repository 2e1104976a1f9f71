import { CheckpointError, type TokenizerV1 } from '@rlgf/contracts';
import {
  AdamW,
  createLanguageModel,
  Critic,
  loadLanguageModel,
  loadPeftAdapter,
  loraParts,
  savePeftAdapter,
  readSafetensorsFile,
  saveLanguageModel,
  valueHeadWeightNames,
  writeSafetensorsFile,
  type ArchitectureRegistry,
  type CriticOptions,
  type ModelArchitecture,
  type TrainableLanguageModel,
} from '@rlgf/models';
import type { Recipe } from '@rlgf/recipe';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CriticRole } from '../algorithms/iteration-plan';
import { criticAdapterDir, policyAdapterDir, type LearnerBases } from './lora-learner';
import { loadOptimizer, saveOptimizer } from './optimizer-files';

type Optimization = Recipe['optimization'];

function adamW(optimization: Optimization, learningRate: number): AdamW {
  return new AdamW({
    learningRate,
    beta1: optimization.adamBeta1,
    beta2: optimization.adamBeta2,
    epsilon: optimization.adamEpsilon,
    weightDecay: optimization.weightDecay,
  });
}

/**
 * What training changes: the policy, its critic(s) and their optimizers. The frozen reference
 * and guide are not part of it (they are reloaded from their sources on resume).
 */
export class Learner {
  private constructor(
    readonly policy: TrainableLanguageModel,
    readonly critics: Map<CriticRole, Critic>,
    readonly policyOptimizer: AdamW,
    readonly criticOptimizers: Map<CriticRole, AdamW>,
    private readonly optimization: Optimization,
    private readonly sharedTrunk: boolean,
    private readonly bases: LearnerBases,
  ) {}

  /** A fresh learner: critics with zero heads on a copy of `criticTrunk` (or on the policy's trunk). */
  static create(options: {
    policy: TrainableLanguageModel;
    criticTrunk: TrainableLanguageModel;
    roles: readonly CriticRole[];
    optimization: Optimization;
    sharedTrunk: boolean;
    /** A LoRA run's frozen bases: checkpoints then hold adapters (and heads) only. */
    bases?: LearnerBases;
  }): Learner {
    const critics = new Map<CriticRole, Critic>();
    const optimizers = new Map<CriticRole, AdamW>();
    for (const role of options.roles) {
      critics.set(role, Learner.newCritic(options.policy, options.criticTrunk, options.sharedTrunk));
      optimizers.set(role, adamW(options.optimization, options.optimization.criticLearningRate ?? options.optimization.learningRate));
    }
    return new Learner(options.policy, critics, adamW(options.optimization, options.optimization.learningRate), optimizers, options.optimization, options.sharedTrunk, options.bases ?? {});
  }

  private static newCritic(policy: TrainableLanguageModel, trunk: TrainableLanguageModel, shared: boolean, head?: CriticOptions['head']): Critic {
    return new Critic({ trunk: shared ? 'shared' : 'separate', trunkFrom: shared ? policy : trunk, head: head ?? { kind: 'zeros' } });
  }

  critic(role: CriticRole): Critic {
    const critic = this.critics.get(role);
    if (!critic) throw new CheckpointError({ message: `this run has no ${role} critic` });
    return critic;
  }

  /**
   * Replaces the `to` critic with a copy of the `from` critic (D2LOLS starts its policy critic
   * from the trained guide critic) and gives it a fresh optimizer. Trunk and head are copied on
   * the device (webgpu has no synchronous read to the host).
   */
  copyCritic(from: CriticRole, to: CriticRole): void {
    const source = this.critic(from);
    const replacement = Learner.newCritic(this.policy, source.trunk ?? this.policy, this.sharedTrunk, { copyOf: source.head });
    this.critics.get(to)?.dispose();
    this.critics.set(to, replacement);
    this.criticOptimizers.get(to)?.dispose();
    this.criticOptimizers.set(to, adamW(this.optimization, this.optimization.criticLearningRate ?? this.optimization.learningRate));
  }

  /**
   * Writes the policy (Hub format, or its LoRA adapter in PEFT's layout), each critic (its head,
   * and its trunk or adapter) and each optimizer into `dir`.
   */
  async save(dir: string): Promise<void> {
    const policyAdapter = loraParts(this.policy)?.adapter;
    if (policyAdapter === undefined) await saveLanguageModel(this.policy, join(dir, 'policy'));
    else await savePeftAdapter(policyAdapter, join(dir, policyAdapterDir), { baseModel: this.bases.policy?.name ?? '', encoderDecoder: this.policy.info.isEncoderDecoder });
    await saveOptimizer(join(dir, 'optimizer-policy.safetensors'), this.policyOptimizer, this.policyVariables());
    for (const [role, critic] of this.critics) {
      const adapter = critic.trunk && loraParts(critic.trunk)?.adapter;
      if (adapter !== undefined) await savePeftAdapter(adapter, join(dir, criticAdapterDir(role)), { baseModel: this.bases.critic?.name ?? '', encoderDecoder: this.policy.info.isEncoderDecoder });
      const weights = adapter === undefined ? await critic.getWeights() : await critic.head.getWeights();
      await writeSafetensorsFile(join(dir, `critic-${role}.safetensors`), weights, { metadata: { format: 'rlgf-critic', shared: String(critic.shared) } });
      await saveOptimizer(join(dir, `optimizer-critic-${role}.safetensors`), this.criticOptimizer(role), critic.variables);
    }
  }

  /** Rebuilds a learner saved by {@link save}; its weights and optimizer states are bit-exact. */
  static async load(
    dir: string,
    options: {
      roles: readonly CriticRole[];
      optimization: Optimization;
      sharedTrunk: boolean;
      tokenizer: TokenizerV1;
      bases?: LearnerBases;
      registry?: ArchitectureRegistry<ModelArchitecture>;
    },
  ): Promise<Learner> {
    const bases = options.bases ?? {};
    const policyAdapter = join(dir, policyAdapterDir);
    let policy: TrainableLanguageModel;
    if (existsSync(policyAdapter)) {
      const base = bases.policy?.base;
      if (base === undefined) throw new CheckpointError({ message: `checkpoint ${dir} holds a LoRA adapter, the recipe trains the whole policy`, hint: 'resume with the recipe the run was started with (policy.lora)' });
      policy = base.view(await loadPeftAdapter(base, policyAdapter, { seed: 0 }));
    } else {
      policy = await loadLanguageModel(join(dir, 'policy'), { registry: options.registry });
    }
    const learner = Learner.create({ policy, criticTrunk: policy, roles: [], optimization: options.optimization, sharedTrunk: options.sharedTrunk, bases });
    for (const role of options.roles) {
      const file = join(dir, `critic-${role}.safetensors`);
      if (!existsSync(file)) throw new CheckpointError({ message: `checkpoint ${dir} has no ${role} critic`, hint: 'it was written by another algorithm; resume with the recipe it was started with' });
      const weights = (await readSafetensorsFile(file)).tensors;
      const head = new Map([...weights].filter(([name]) => name === valueHeadWeightNames.weight || name === valueHeadWeightNames.bias));
      let critic: Critic;
      const adapterDir = join(dir, criticAdapterDir(role));
      if (options.sharedTrunk) {
        critic = Learner.newCritic(policy, policy, true, head);
      } else if (existsSync(adapterDir)) {
        const base = bases.critic?.base;
        if (base === undefined) throw new CheckpointError({ message: `checkpoint ${dir} holds a LoRA ${role} critic, the recipe trains a whole one`, hint: 'resume with the recipe the run was started with (critic.lora)' });
        const trunk = base.view(await loadPeftAdapter(base, adapterDir, { seed: 0 }));
        critic = Learner.newCritic(policy, trunk, false, head);
        trunk.dispose();
      } else {
        const trunkWeights = new Map([...weights].filter(([name]) => !head.has(name)));
        const trunk = createLanguageModel(policy.configJson, trunkWeights, options.tokenizer, { registry: options.registry });
        critic = Learner.newCritic(policy, trunk, false, head);
        trunk.dispose();
      }
      learner.critics.set(role, critic);
      learner.criticOptimizers.set(role, adamW(options.optimization, options.optimization.criticLearningRate ?? options.optimization.learningRate));
    }
    await loadOptimizer(join(dir, 'optimizer-policy.safetensors'), learner.policyOptimizer, learner.policyVariables());
    for (const role of options.roles) {
      await loadOptimizer(join(dir, `optimizer-critic-${role}.safetensors`), learner.criticOptimizer(role), learner.critic(role).variables);
    }
    return learner;
  }

  criticOptimizer(role: CriticRole): AdamW {
    const optimizer = this.criticOptimizers.get(role);
    if (!optimizer) throw new CheckpointError({ message: `this run has no ${role} critic optimizer` });
    return optimizer;
  }

  /** The variables the policy optimizer updates (shared-trunk heads included). */
  policyVariables() {
    return this.sharedTrunk ? [...this.policy.trainableVariables, ...[...this.critics.values()].flatMap((c) => c.head.variables)] : [...this.policy.trainableVariables];
  }

  dispose(): void {
    for (const critic of this.critics.values()) critic.dispose();
    for (const optimizer of [this.policyOptimizer, ...this.criticOptimizers.values()]) optimizer.dispose();
    this.policy.dispose();
  }
}
