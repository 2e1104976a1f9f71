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
  const { promptIds, maxNewTokens, minNewTokens, decoding, stopAtEos = true } = request;
  const rows = promptIds.length;
  const forced = request.forcedPrefixIds ?? [];
  const isEos = (tokens: tf.Tensor1D) => settings.eosTokenIds.map((id) => tf.equal(tokens, id)).reduce((a, b) => tf.logicalOr(a, b), tf.zerosLike(tokens).cast('bool'));
  const chosen: tf.Tensor1D[] = [];
  const logProbs: tf.Tensor1D[] = [];
  const active: tf.Tensor1D[] = [];
  let uniforms: tf.Tensor2D | undefined;
  let finished: tf.Tensor1D | undefined;
  let logits: tf.Tensor2D | undefined;
  try {
    uniforms = decoding.strategy === 'sample' ? drawUniforms(request.seed ?? 0, maxNewTokens, rows) : undefined;
    finished = tf.zeros([rows], 'bool');
    logits = session.start();
    for (let step = 0; step < maxNewTokens; step++) {
      const current: tf.Tensor2D = logits as tf.Tensor2D;
      const previouslyFinished: tf.Tensor1D = finished;
      const choice = tf.tidy(() => {
        const running = tf.logicalNot(previouslyFinished) as tf.Tensor1D;
        const heldBack = promptIds.map((_, row) => step < minNewTokensAt(minNewTokens, row));
        let scores = heldBack.some(Boolean) ? suppressTokenScores(current, settings.eosTokenIds, tf.tensor1d(heldBack.map(Number), 'bool')) : current;
        scores = processScores(scores, decoding);
        const stepUniforms = uniforms && (tf.reshape(tf.slice(uniforms, [step, 0], [1, rows]), [rows]) as tf.Tensor1D);
        let token = stepUniforms ? sampleTokens(scores, stepUniforms) : firstBestTokens(scores);
        const forcing = promptIds.map((_, row) => step < (forced[row]?.length ?? 0));
        if (forcing.some(Boolean)) {
          const forcedTokens = tf.tensor1d(promptIds.map((_, row) => (forcing[row] ? forced[row][step] : 0)), 'int32');
          token = tf.where(tf.tensor1d(forcing.map(Number), 'bool'), forcedTokens, token);
        }
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
    uniforms?.dispose();
    tf.dispose([...chosen, ...logProbs, ...active]);
  }
}

/** [steps, rows] uniform numbers in [0, 1), row by row within each step. */
function drawUniforms(seed: number, steps: number, rows: number): tf.Tensor2D {
  const rng = Rng.fromSeed(seed, 'generate');
  return tf.tensor2d(Float32Array.from({ length: steps * rows }, () => rng.nextFloat()), [steps, rows]);
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
