import * as tf from '@tensorflow/tfjs-core';
import type { GenerateRequestV1, GenerateResultV1 } from '@rlgf/contracts';
import { minNewTokensAt, Rng } from '@rlgf/core';
import { firstBestTokens, processScores, sampleTokens, suppressTokenScores, tokenLogProbs } from './device-sampling';
import type { GenerationSettings } from './generate';
import type { DeviceDecoding } from './incremental-decoding';

/**
 * Steps between the reads that stop decoding once every row has finished: the only reads before
 * the end. At most this many steps are computed after the last row stops; they change nothing.
 */
const finishedCheckEvery = 8;

/**
 * Greedy or sampled decoding with every token chosen on the device (GPU backends): the logits,
 * the token choice (EOS suppression before `minNewTokens`, temperature, top-k, top-p, the draw),
 * the finished rows and the next step's input never leave it, so the device never waits on the
 * host between steps; tokens, log-probs and mask are read once at the end. Rows, forced prefixes,
 * EOS and padding behave as on the host path. Seeded draws come from one uniform number per row
 * and step (all drawn up front), so a seed reproduces its tokens on a backend, though not the
 * host path's, which draws only for rows still sampling.
 */
export async function decodeOnDevice(session: DeviceDecoding, request: GenerateRequestV1, settings: GenerationSettings): Promise<GenerateResultV1> {
  const { promptIds, maxNewTokens, decoding, stopAtEos = true } = request;
  const rows = promptIds.length;
  const isEos = (tokens: tf.Tensor1D) => settings.eosTokenIds.map((id) => tf.equal(tokens, id)).reduce((a, b) => tf.logicalOr(a, b), tf.zerosLike(tokens).cast('bool'));
  const chosen: tf.Tensor1D[] = [];
  const logProbs: tf.Tensor1D[] = [];
  const active: tf.Tensor1D[] = [];
  const plan = stepPlan(request);
  let finished: tf.Tensor1D | undefined;
  let logits: tf.Tensor2D | undefined;
  try {
    finished = tf.zeros([rows], 'bool');
    logits = session.start();
    for (let step = 0; step < maxNewTokens; step++) {
      const current: tf.Tensor2D = logits as tf.Tensor2D;
      const previouslyFinished: tf.Tensor1D = finished;
      const choice = tf.tidy(() => {
        const running = tf.logicalNot(previouslyFinished) as tf.Tensor1D;
        const stepRow = (perStep: tf.Tensor2D) => tf.reshape(tf.slice(perStep, [step, 0], [1, rows]), [rows]) as tf.Tensor1D;
        let scores = step < plan.holdEosUntil ? suppressTokenScores(current, settings.eosTokenIds, stepRow(plan.heldBack)) : current;
        scores = processScores(scores, decoding);
        let token = plan.uniforms ? sampleTokens(scores, stepRow(plan.uniforms)) : firstBestTokens(scores);
        if (step < plan.forceUntil) token = tf.where(stepRow(plan.forcing), stepRow(plan.forcedTokens), token);
        // Log-probs of the chosen tokens, before finished rows become padding (which may lie outside the vocabulary).
        const logProb = tf.where(running, tokenLogProbs(current, token), tf.zeros([rows]));
        token = tf.where(running, token, tf.fill([rows], settings.padTokenId, 'int32'));
        const nowFinished = stopAtEos ? tf.logicalOr(previouslyFinished, tf.logicalAnd(running, isEos(token))) : previouslyFinished.clone();
        return { token: token as tf.Tensor1D, logProb: logProb as tf.Tensor1D, running: tf.cast(running, 'int32') as tf.Tensor1D, nowFinished: nowFinished as tf.Tensor1D };
      });
      current.dispose();
      logits = undefined;
      previouslyFinished.dispose();
      finished = choice.nowFinished;
      chosen.push(choice.token);
      logProbs.push(choice.logProb);
      active.push(choice.running);
      if (step === maxNewTokens - 1) break;
      if ((step + 1) % finishedCheckEvery === 0 && (await allFinished(finished))) break;
      logits = session.step(choice.token);
    }
    return await readResult(chosen, logProbs, active, request, settings);
  } finally {
    logits?.dispose();
    finished?.dispose();
    tf.dispose([plan.heldBack, plan.forcing, plan.forcedTokens, ...(plan.uniforms ? [plan.uniforms] : [])]);
    tf.dispose([...chosen, ...logProbs, ...active]);
  }
}

/**
 * Everything the token loop needs per step and row, uploaded once as [steps, rows] tensors (the
 * loop only slices them on the device): EOS held back, forced tokens, and the seeded uniform
 * numbers (row by row within each step).
 */
interface StepPlan {
  readonly heldBack: tf.Tensor2D;
  readonly forcing: tf.Tensor2D;
  readonly forcedTokens: tf.Tensor2D;
  readonly uniforms?: tf.Tensor2D;
  /** Steps before which some row holds EOS back, or is forced. */
  readonly holdEosUntil: number;
  readonly forceUntil: number;
}

function stepPlan({ promptIds, maxNewTokens: steps, minNewTokens, forcedPrefixIds = [], decoding, seed = 0 }: GenerateRequestV1): StepPlan {
  const rows = promptIds.length;
  const cells = (value: (step: number, row: number) => number) => Array.from({ length: steps * rows }, (_, i) => value(Math.floor(i / rows), i % rows));
  const minimum = (row: number) => minNewTokensAt(minNewTokens, row);
  const prefix = (row: number) => forcedPrefixIds[row] ?? [];
  const rng = decoding.strategy === 'sample' ? Rng.fromSeed(seed, 'generate') : undefined;
  return {
    heldBack: tf.tensor2d(cells((step, row) => Number(step < minimum(row))), [steps, rows], 'bool'),
    forcing: tf.tensor2d(cells((step, row) => Number(step < prefix(row).length)), [steps, rows], 'bool'),
    forcedTokens: tf.tensor2d(cells((step, row) => prefix(row)[step] ?? 0), [steps, rows], 'int32'),
    uniforms: rng && tf.tensor2d(Float32Array.from({ length: steps * rows }, () => rng.nextFloat()), [steps, rows]),
    holdEosUntil: Math.max(0, ...promptIds.map((_, row) => minimum(row))),
    forceUntil: Math.max(0, ...promptIds.map((_, row) => prefix(row).length)),
  };
}

async function allFinished(finished: tf.Tensor1D): Promise<boolean> {
  const all = tf.all(finished);
  const [value] = await all.data();
  all.dispose();
  return value === 1;
}

/** One read of the decoded steps; steps never decoded stay padding with mask 0. */
async function readResult(chosen: tf.Tensor1D[], logProbs: tf.Tensor1D[], active: tf.Tensor1D[], request: GenerateRequestV1, settings: GenerationSettings): Promise<GenerateResultV1> {
  const steps = chosen.length;
  const stacked = [tf.stack(chosen), tf.stack(logProbs), tf.stack(active)];
  const [ids, logs, mask] = await Promise.all(stacked.map((tensor) => tensor.data()));
  tf.dispose(stacked);
  const rows = request.promptIds.length;
  const row = (values: ArrayLike<number>, r: number, fill: number) =>
    Array.from({ length: request.maxNewTokens }, (_, step) => (step < steps ? values[step * rows + r] : fill));
  return {
    ids: request.promptIds.map((_, r) => row(ids, r, settings.padTokenId)),
    logProbs: request.promptIds.map((_, r) => row(logs, r, 0)),
    mask: request.promptIds.map((_, r) => row(mask, r, 0)),
  };
}
