import type * as tf from '@tensorflow/tfjs-core';
import type { CausalLmNetwork, ForwardInputs, ForwardOutputs } from '../architectures/causal-lm';
import type { LanguageModelNetwork } from '../model/network-language-model';
import type { CrossAttentionMemory, DecoderInputs, Seq2SeqNetwork } from '../model/seq2seq-network';
import { withLora } from '../nn/lora-scope';
import type { WeightMap } from '../weights/weight-map';
import type { LoraAdapter } from './lora-adapter';
import { mergeAdapter } from './merge-adapter';
import type { LoraSite } from './lora-site';

/** A network that LoRA can adapt: it names its linear modules as PEFT does. */
export interface AdaptableNetwork extends LanguageModelNetwork {
  loraSites?(): readonly LoraSite[];
}

/** One frozen base network shared by views; the owner's `release` runs when the last view is disposed. */
export class SharedBase<N extends AdaptableNetwork> {
  private views = 0;
  constructor(
    readonly net: N,
    private readonly release: () => void,
  ) {}

  acquire(): void {
    this.views++;
  }

  drop(): void {
    this.views--;
    if (this.views === 0) this.release();
  }
}

/**
 * The base network seen through one adapter (or none: the reference). Its variables are the
 * adapter's only; forward passes run the base with the adapter's updates beside its products.
 */
abstract class AdapterView<N extends AdaptableNetwork> implements LanguageModelNetwork {
  private disposed = false;

  constructor(
    readonly shared: SharedBase<N>,
    readonly adapter: LoraAdapter | undefined,
  ) {
    shared.acquire();
  }

  get config(): N['config'] {
    return this.shared.net.config;
  }

  get variables(): readonly tf.Variable[] {
    return this.adapter?.variables ?? [];
  }

  /** The adapter reaches into every layer, so the hidden states depend on all of its variables. */
  get hiddenStateVariables(): readonly tf.Variable[] {
    return this.variables;
  }

  get trainable(): boolean {
    return this.adapter?.trainable ?? false;
  }

  get parameterCount(): number {
    return this.shared.net.parameterCount + (this.adapter?.parameterCount ?? 0);
  }

  loraSites(): readonly LoraSite[] {
    return this.shared.net.loraSites?.() ?? [];
  }

  /** The merged weights W + scale·B·A under Hugging Face names (what `rlgf merge` writes). */
  async toWeightMap(): Promise<WeightMap> {
    const weights = await this.shared.net.toWeightMap();
    return this.adapter === undefined ? weights : mergeAdapter(weights, this.adapter);
  }

  /** Another view of the same base with a copy of this one's adapter (made on the device): the copy shares the frozen base. */
  abstract copy(options: { readonly trainable: boolean }): AdaptableNetwork;

  protected run<T>(body: () => T): T {
    return withLora(this.adapter?.binding, body);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.adapter?.dispose();
    this.shared.drop();
  }
}

export class AdaptedCausalNetwork extends AdapterView<CausalLmNetwork> implements CausalLmNetwork {
  copy(options: { readonly trainable: boolean }): AdaptedCausalNetwork {
    return new AdaptedCausalNetwork(this.shared, this.adapter?.clone({ trainable: options.trainable }));
  }

  forward(inputs: ForwardInputs): ForwardOutputs {
    return this.run(() => this.shared.net.forward(inputs));
  }
}

export class AdaptedSeq2SeqNetwork extends AdapterView<Seq2SeqNetwork> implements Seq2SeqNetwork {
  copy(options: { readonly trainable: boolean }): AdaptedSeq2SeqNetwork {
    return new AdaptedSeq2SeqNetwork(this.shared, this.adapter?.clone({ trainable: options.trainable }));
  }

  encode(ids: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor3D {
    return this.run(() => this.shared.net.encode(ids, mask));
  }

  crossAttentionMemory(encoded: tf.Tensor3D, mask: tf.Tensor2D): CrossAttentionMemory {
    return this.run(() => this.shared.net.crossAttentionMemory(encoded, mask));
  }

  decode(inputs: DecoderInputs): ForwardOutputs {
    return this.run(() => this.shared.net.decode(inputs));
  }
}

/** A view over `shared` with `adapter`, of the same kind (causal or encoder-decoder) as `like`. */
export function adapterView(like: AdaptableNetwork, shared: SharedBase<AdaptableNetwork>, adapter: LoraAdapter | undefined): AdaptableNetwork {
  if ('encode' in like) return new AdaptedSeq2SeqNetwork(shared as SharedBase<Seq2SeqNetwork>, adapter);
  return new AdaptedCausalNetwork(shared as SharedBase<CausalLmNetwork>, adapter);
}

/** The base and adapter of a LoRA view, or undefined for another network. */
export function viewParts(net: AdaptableNetwork): { readonly shared: SharedBase<AdaptableNetwork>; readonly adapter?: LoraAdapter } | undefined {
  if (!(net instanceof AdapterView)) return undefined;
  const view = net as AdapterView<AdaptableNetwork>;
  return { shared: view.shared, adapter: view.adapter };
}
