import { RlgfError, type GenerateRequestV1 } from '@rlgf/contracts';
import type { AdamWState, BackendName, ContinuationRow, TokenizerFiles, WeightMap } from '@rlgf/models';
import type { Recipe } from '@rlgf/recipe';
import type { CriticRole } from '../algorithms/iteration-plan';
import type { ValueMinibatch, ValueStepSettings } from './critic-access';

/** What the critic thread is asked, one request at a time, in order. */
export type CriticRequest =
  | { readonly op: 'start'; readonly backend: BackendName; readonly threads: number }
  | {
      readonly op: 'adopt';
      readonly role: CriticRole;
      readonly config: Readonly<Record<string, unknown>>;
      readonly tokenizerFiles: TokenizerFiles;
      /** Trunk and head under their Hugging Face names, as `Critic.getWeights` gives them. */
      readonly weights: WeightMap;
      readonly optimization: Recipe['optimization'];
      readonly optimizerState: AdamWState;
    }
  | { readonly op: 'values'; readonly role: CriticRole; readonly rows: readonly ContinuationRow[]; readonly width: number; readonly chunkRows: number }
  | { readonly op: 'step'; readonly role: CriticRole; readonly minibatch: ValueMinibatch; readonly settings: ValueStepSettings }
  | { readonly op: 'copy'; readonly from: CriticRole; readonly to: CriticRole }
  | { readonly op: 'save'; readonly role: CriticRole; readonly dir: string }
  | { readonly op: 'weights'; readonly role: CriticRole }
  /** A copy of the policy with these weights, replacing the previous one, for `generate` and `score`. */
  | { readonly op: 'policy'; readonly config: Readonly<Record<string, unknown>>; readonly tokenizerFiles: TokenizerFiles; readonly weights: WeightMap }
  | { readonly op: 'generate'; readonly request: GenerateRequestV1 }
  | { readonly op: 'score'; readonly promptIds: readonly (readonly number[])[]; readonly targetIds: readonly (readonly number[])[] }
  | { readonly op: 'close' };

export type CriticReply = { readonly id: number; readonly ok: true; readonly result: unknown } | { readonly id: number; readonly ok: false; readonly error: SerializedError };

/** An error as it crosses threads: structured cloning drops an RlgfError's class, hint and fields. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly rlgf: boolean;
  /** Own fields (`hint`, a NumericalError's `iteration` and `quantity`, …). */
  readonly fields: Record<string, unknown>;
}

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), rlgf: false, fields: {} };
  const fields = Object.fromEntries(Object.entries(error).filter(([, value]) => ['string', 'number', 'boolean'].includes(typeof value)));
  return { name: error.name, message: error.message, stack: error.stack, rlgf: RlgfError.isInstance(error), fields };
}

/** The error again on this side: an RlgfError keeps its name (what `isInstance` checks), hint and fields. */
export function reviveError(error: SerializedError): Error {
  const revived = error.rlgf ? new RlgfError({ name: error.name, message: error.message, hint: error.fields['hint'] as string | undefined }) : new Error(error.message);
  if (!error.rlgf) revived.name = error.name;
  Object.assign(revived, error.fields);
  if (error.stack !== undefined) revived.stack = error.stack;
  return revived;
}
