import { CheckpointError, type TokenizerV1 } from '@rlgf/contracts';
import {
  createLanguageModel,
  withThreadCount,
  Critic,
  loadLanguageModel,
  loadPeftAdapter,
  loraParts,
  savePeftAdapter,
  readSafetensorsFile,
  saveLanguageModel,
  valueHeadWeightNames,
  type AdamW,
  type ArchitectureRegistry,
  type CriticOptions,
  type ModelArchitecture,
  type TrainableLanguageModel,
  type WeightMap,
} from '@rlgf/models';
import type { Recipe } from '@rlgf/recipe';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CriticRole } from '../algorithms/iteration-plan';
import type { CriticAccess } from '../critics/critic-access';
import { criticOptimizerFile, criticWeightsFile, saveCriticFiles } from '../critics/critic-files';
import type { CriticThread } from '../critics/critic-thread';
import { LocalCritic } from '../critics/local-critic';
import type { PolicyCopies } from '../policy-copies/share-policy';
import { adamWFor, criticAdamW } from './adamw-for';
import { criticAdapterDir, policyAdapterDir, type LearnerBases } from './lora-learner';
import { loadOptimizer, saveOptimizer } from './optimizer-files';

type Optimization = Recipe['optimization'];

/**
 * What training changes: the policy, its critic(s) and their optimizers. The frozen reference
 * and guide are not part of it (they are reloaded from their sources on resume).
 */
export class Learner {
  /**
   * Where the critics went when they moved to a thread of their own ({@link moveCriticsTo}), and
   * whether that thread also holds a copy of the policy that generates and scores ({@link policyCopies}).
   */
  private thread?: { readonly critics: CriticThread; readonly mainThreads: number; readonly holdsPolicy: boolean };

  private constructor(
    readonly policy: TrainableLanguageModel,
    readonly critics: Map<CriticRole, Critic>,
    readonly policyOptimizer: AdamW,
    readonly criticOptimizers: Map<CriticRole, AdamW>,
    private readonly optimization: Optimization,
    private readonly sharedTrunk: boolean,
    readonly bases: LearnerBases,
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
      optimizers.set(role, criticAdamW(options.optimization));
    }
    return new Learner(options.policy, critics, adamWFor(options.optimization, options.optimization.learningRate), optimizers, options.optimization, options.sharedTrunk, options.bases ?? {});
  }

  private static newCritic(policy: TrainableLanguageModel, trunk: TrainableLanguageModel, shared: boolean, head?: CriticOptions['head']): Critic {
    return new Critic({ trunk: shared ? 'shared' : 'separate', trunkFrom: shared ? policy : trunk, head: head ?? { kind: 'zeros' } });
  }

  /** The critic of `role` on this thread (not one that moved to a critic thread: see {@link criticAccess}). */
  critic(role: CriticRole): Critic {
    const critic = this.critics.get(role);
    if (!critic) throw new CheckpointError({ message: this.thread?.critics.roles.has(role) ? `the ${role} critic trains on its own thread` : `this run has no ${role} critic` });
    return critic;
  }

  /** The critic of `role` as scoring and the update use it, on this thread or its own. */
  criticAccess(role: CriticRole): CriticAccess {
    if (this.thread?.critics.roles.has(role)) return this.thread.critics.access(role);
    const critic = this.critic(role);
    return new LocalCritic(critic, critic.shared ? this.policyOptimizer : this.criticOptimizer(role), this.policy);
  }

  /** The weights of the critic of `role` (trunk and head), wherever it trains. */
  async criticWeights(role: CriticRole): Promise<WeightMap> {
    if (this.thread?.critics.roles.has(role)) return this.thread.critics.weights(role);
    return this.critic(role).getWeights();
  }

  /** The roles of the run's critics, on this thread or their own. */
  get criticRoles(): CriticRole[] {
    return [...this.critics.keys(), ...(this.thread?.critics.roles ?? [])];
  }

  /**
   * Moves every critic (weights and optimizer state, bit for bit) to `critics`, a thread of its
   * own, so that its value steps run beside the policy's; scoring and updates then run their
   * products on `mainThreads` kernel threads and leave the rest to the critic thread. For critics with
   * separate whole trunks only (see `criticThreadPlan`). With `holdsPolicy`, the thread also
   * generates and scores beside this one with a copy of the policy (see {@link policyCopies}).
   */
  async moveCriticsTo(critics: CriticThread, mainThreads: number, options: { readonly holdsPolicy?: boolean } = {}): Promise<void> {
    for (const [role, critic] of this.critics) {
      const trunk = critic.trunk;
      if (trunk?.tokenizerFiles === undefined) throw new CheckpointError({ message: `the ${role} critic cannot move to a thread: it has no trunk of its own with tokenizer files` });
      const optimizer = this.criticOptimizer(role);
      await critics.adopt(role, {
        config: trunk.configJson,
        tokenizerFiles: trunk.tokenizerFiles,
        weights: await critic.getWeights(),
        optimization: this.optimization,
        optimizerState: await optimizer.exportState(critic.variables),
      });
      critic.dispose();
      optimizer.dispose();
      this.critics.delete(role);
      this.criticOptimizers.delete(role);
    }
    this.thread = { critics, mainThreads, holdsPolicy: options.holdsPolicy === true && this.policy.tokenizerFiles !== undefined };
  }

  /**
   * Runs work the critic thread does its part of at the same time (scoring, the update): with a
   * critic thread, on this thread's share of the kernel threads, so that the two never ask for
   * more threads than the run has.
   */
  besideCritics<T>(work: () => Promise<T>): Promise<T> {
    return this.thread === undefined ? work() : withThreadCount(this.thread.mainThreads, work);
  }

  /**
   * Copies of the policy that generate and score beside it (rollouts, evaluation), when the critic
   * thread holds one: the thread receives the policy's current weights at the first call it is
   * given, so ask again after every update. Undefined when there are none.
   */
  policyCopies(): PolicyCopies | undefined {
    const thread = this.thread;
    const tokenizerFiles = this.policy.tokenizerFiles;
    if (thread === undefined || !thread.holdsPolicy || tokenizerFiles === undefined) return undefined;
    // The weights are sent once, and a call follows them at once: the thread answers in order, so
    // it need not wait for this thread to read that the weights arrived (it reads only between its
    // own calls). A failure to take them fails every call.
    let sent: Promise<{ held: Promise<void> }> | undefined;
    const send = async () => ({ held: thread.critics.holdPolicy({ config: this.policy.configJson, tokenizerFiles, weights: await this.policy.getWeights() }) });
    const afterWeights = async <T>(call: () => Promise<T>): Promise<T> => {
      const { held } = await (sent ??= send());
      const answer = call();
      answer.catch(() => undefined); // met below, after the weights' own failure if there is one
      await held;
      return answer;
    };
    return {
      copies: [
        {
          generate: (request) => afterWeights(() => thread.critics.generate(request)),
          scoreTokens: (promptIds, targetIds) => afterWeights(() => thread.critics.scoreTokens(promptIds, targetIds)),
        },
      ],
      beside: (work) => withThreadCount(thread.mainThreads, work),
    };
  }

  /**
   * Replaces the `to` critic with a copy of the `from` critic (D2LOLS starts its policy critic
   * from the trained guide critic) and gives it a fresh optimizer. Trunk and head are copied on
   * the device (webgpu has no synchronous read to the host).
   */
  async copyCritic(from: CriticRole, to: CriticRole): Promise<void> {
    if (this.thread?.critics.roles.has(from)) return this.thread.critics.copy(from, to);
    const source = this.critic(from);
    const replacement = Learner.newCritic(this.policy, source.trunk ?? this.policy, this.sharedTrunk, { copyOf: source.head });
    this.critics.get(to)?.dispose();
    this.critics.set(to, replacement);
    this.criticOptimizers.get(to)?.dispose();
    this.criticOptimizers.set(to, criticAdamW(this.optimization));
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
      await saveCriticFiles(dir, role, critic, this.criticOptimizer(role), weights);
    }
    for (const role of this.thread?.critics.roles ?? []) await this.thread?.critics.save(dir, role);
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
      const file = criticWeightsFile(dir, role);
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
        const trunk = createLanguageModel(policy.configJson, trunkWeights, options.tokenizer, { registry: options.registry, tokenizerFiles: policy.tokenizerFiles });
        critic = Learner.newCritic(policy, trunk, false, head);
        trunk.dispose();
      }
      learner.critics.set(role, critic);
      learner.criticOptimizers.set(role, criticAdamW(options.optimization));
    }
    await loadOptimizer(join(dir, 'optimizer-policy.safetensors'), learner.policyOptimizer, learner.policyVariables());
    for (const role of options.roles) {
      await loadOptimizer(criticOptimizerFile(dir, role), learner.criticOptimizer(role), learner.critic(role).variables);
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
    void this.thread?.critics.close();
    for (const critic of this.critics.values()) critic.dispose();
    for (const optimizer of [this.policyOptimizer, ...this.criticOptimizers.values()]) optimizer.dispose();
    this.policy.dispose();
  }
}
