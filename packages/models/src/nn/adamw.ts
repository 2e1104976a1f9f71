import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@rlgf/contracts';
import type { HostTensor } from '../weights/weight-map';

export interface AdamWOptions {
  readonly learningRate: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
  /** Decoupled weight decay (PyTorch `AdamW`), applied as `w ← w·(1 − lr·decay)`. Default 0.01. */
  readonly weightDecay?: number;
  /** Which variables decay (e.g. skip norms and biases); default all. */
  readonly decays?: (variable: tf.Variable) => boolean;
}

/** What a checkpoint keeps of an {@link AdamW}. */
export interface AdamWState {
  /** Calls of `applyGradients` so far. */
  readonly steps: number;
  /**
   * Updates of each variable (the bias-correction step t of each); missing in states written
   * before per-variable counts, which had one count for all (`steps`).
   */
  readonly variableSteps?: readonly number[];
  readonly first: readonly HostTensor[];
  readonly second: readonly HostTensor[];
}

interface Moments {
  readonly first: tf.Variable;
  readonly second: tf.Variable;
  /** Updates of this variable so far: its own bias-correction step. */
  steps: number;
}

/**
 * AdamW as PyTorch's `torch.optim.AdamW`: decoupled weight decay, bias-corrected moments. The
 * learning rate can change every step (schedules); moments live in variables this optimizer owns.
 * As in PyTorch, each variable counts its own steps for the bias correction, so a variable first
 * updated late (a head that had no gradient so far) does not take oversized first steps: with a
 * shared count t ≫ 1 both corrections are ≈ 1, and its first step is lr·(1 − β₁)/√(1 − β₂)·sign(g)
 * ≈ 3.2·lr·sign(g) at the default betas, instead of lr·sign(g).
 */
export class AdamW {
  private readonly moments = new Map<tf.Variable, Moments>();
  private steps = 0;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly weightDecay: number;

  constructor(private readonly options: AdamWOptions) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0.01;
    for (const [name, value] of [['beta1', this.beta1], ['beta2', this.beta2]] as const) {
      if (!(value >= 0 && value < 1)) throw new InvalidArgumentError({ argument: name, value, expected: 'a number in [0, 1)' });
    }
  }

  /** Number of updates applied so far. */
  get stepCount(): number {
    return this.steps;
  }

  /** One update of `variables` with `gradients` (same order); disposes nothing it was given. */
  applyGradients(variables: readonly tf.Variable[], gradients: readonly tf.Tensor[], learningRate = this.options.learningRate): void {
    if (variables.length !== gradients.length) {
      throw new InvalidArgumentError({ argument: 'gradients', value: gradients.length, expected: `one gradient per variable (${variables.length})` });
    }
    this.steps++;
    variables.forEach((variable, index) => {
      const moments = this.momentsOf(variable);
      moments.steps++;
      const correction1 = 1 - Math.pow(this.beta1, moments.steps);
      const correction2 = 1 - Math.pow(this.beta2, moments.steps);
      const gradient = gradients[index];
      const decay = this.options.decays === undefined || this.options.decays(variable) ? this.weightDecay : 0;
      // Temporaries are freed as soon as they are used: for a 50k x 768 embedding each one is
      // 150 MB, and the wasm heap ends at 4 GB.
      const first = tf.tidy(() => tf.add(tf.mul(moments.first, this.beta1), tf.mul(gradient, 1 - this.beta1)));
      moments.first.assign(first);
      first.dispose();
      const second = tf.tidy(() => tf.add(tf.mul(moments.second, this.beta2), tf.mul(tf.square(gradient), 1 - this.beta2)));
      moments.second.assign(second);
      second.dispose();
      const step = tf.tidy(() => {
        const denominator = tf.add(tf.sqrt(tf.div(moments.second, correction2)), this.epsilon);
        return tf.mul(tf.div(moments.first, denominator), learningRate / correction1);
      });
      const updated = tf.tidy(() => tf.sub(decay === 0 ? variable : tf.mul(variable, 1 - learningRate * decay), step));
      step.dispose();
      variable.assign(updated);
      updated.dispose();
    });
  }

  /**
   * The optimizer's state for `variables` (in that order): step count and both moments as host
   * arrays, for checkpoints. Variables never updated have zero moments.
   */
  async exportState(variables: readonly tf.Variable[]): Promise<AdamWState> {
    const read = async (tensor: tf.Tensor | undefined, like: tf.Variable): Promise<HostTensor> => ({
      shape: like.shape,
      data: tensor === undefined ? new Float32Array(like.size) : Float32Array.from(await tensor.data()),
    });
    const first: HostTensor[] = [];
    const second: HostTensor[] = [];
    const variableSteps: number[] = [];
    for (const variable of variables) {
      const moments = this.moments.get(variable);
      first.push(await read(moments?.first, variable));
      second.push(await read(moments?.second, variable));
      variableSteps.push(moments?.steps ?? 0);
    }
    return { steps: this.steps, variableSteps, first, second };
  }

  /** Restores what {@link exportState} returned, for the same variables in the same order. */
  importState(variables: readonly tf.Variable[], state: AdamWState): void {
    if (state.first.length !== variables.length || state.second.length !== variables.length) {
      throw new InvalidArgumentError({ argument: 'optimizer state', value: state.first.length, expected: `moments for ${variables.length} variables` });
    }
    variables.forEach((variable, index) => {
      for (const moment of [state.first[index], state.second[index]]) {
        if (moment.data.length !== variable.size) {
          throw new InvalidArgumentError({ argument: `optimizer state of variable ${index}`, value: moment.shape, expected: `shape ${JSON.stringify(variable.shape)}` });
        }
      }
      const moments = this.momentsOf(variable);
      tf.tidy(() => {
        moments.first.assign(tf.tensor(state.first[index].data, variable.shape));
        moments.second.assign(tf.tensor(state.second[index].data, variable.shape));
      });
      moments.steps = state.variableSteps?.[index] ?? state.steps;
    });
    this.steps = state.steps;
  }

  /** Frees the moment variables. */
  dispose(): void {
    for (const { first, second } of this.moments.values()) {
      first.dispose();
      second.dispose();
    }
    this.moments.clear();
  }

  private momentsOf(variable: tf.Variable): Moments {
    let moments = this.moments.get(variable);
    if (moments === undefined) {
      moments = tf.tidy(() => ({ first: tf.variable(tf.zerosLike(variable), false), second: tf.variable(tf.zerosLike(variable), false), steps: 0 }));
      this.moments.set(variable, moments);
    }
    return moments;
  }
}
