import type { GenerateRequestV1, GenerateResultV1 } from '@rlgf/contracts';
import type { GenerationSettings } from './generate';
import { openDecoding, type GenerationSource } from './incremental-decoding';
import { logSumExp } from './logits-processors';
import { minNewTokensAt } from '@rlgf/core';

interface Hypothesis {
  readonly tokens: number[];
  readonly logProbs: number[];
  /** Sum of the tokens' log-probs. */
  readonly total: number;
}

interface Candidate {
  readonly beam: number;
  readonly token: number;
  readonly logProb: number;
  readonly total: number;
}

/** Beam search score: `total / length^lengthPenalty`, as Hugging Face's `BeamHypotheses`. */
export function beamScore(total: number, length: number, lengthPenalty: number): number {
  return total / Math.pow(length, lengthPenalty);
}

/** The `count` best (beam, token) extensions of a group's beams. */
function bestCandidates(logits: Float32Array, vocab: number, beams: readonly Hypothesis[], firstRow: number, count: number, allowed: (token: number) => boolean): Candidate[] {
  const best: Candidate[] = [];
  beams.forEach((beam, k) => {
    if (!Number.isFinite(beam.total)) return;
    const raw = logits.subarray((firstRow + k) * vocab, (firstRow + k + 1) * vocab);
    const normaliser = logSumExp(raw);
    for (let token = 0; token < vocab; token++) {
      if (!allowed(token)) continue;
      const logProb = raw[token] - normaliser;
      const total = beam.total + logProb;
      if (best.length === count && total <= best[count - 1].total) continue;
      best.push({ beam: k, token, logProb, total });
      best.sort((a, b) => b.total - a.total);
      if (best.length > count) best.pop();
    }
  });
  return best;
}

/**
 * Beam search for evaluation: `numBeams` hypotheses per prompt, finished ones kept with the
 * length-normalised score, stopping a prompt once no running beam can beat its finished ones.
 * The returned log-probs are those of the chosen tokens under the model.
 */
export async function beamSearch(network: GenerationSource, request: GenerateRequestV1, settings: GenerationSettings): Promise<GenerateResultV1> {
  if (request.decoding.strategy !== 'beam') throw new Error('beamSearch needs a beam decoding');
  const { numBeams, lengthPenalty = 1 } = request.decoding;
  const { promptIds, maxNewTokens, minNewTokens, stopAtEos = true } = request;
  const forced = request.forcedPrefixIds ?? [];
  const groups = promptIds.length;
  const eos = new Set(settings.eosTokenIds);
  const running: Hypothesis[][] = promptIds.map(() =>
    Array.from({ length: numBeams }, (_, k) => ({ tokens: [], logProbs: [], total: k === 0 ? 0 : -Infinity })),
  );
  const finished: { score: number; hypothesis: Hypothesis }[][] = promptIds.map(() => []);
  const done = new Array<boolean>(groups).fill(false);
  const session = openDecoding(
    network,
    promptIds.flatMap((prompt) => new Array<readonly number[]>(numBeams).fill(prompt)),
    maxNewTokens,
    { padTokenId: settings.padTokenId, useCache: settings.useCache },
  );
  try {
    let logits = await session.start();
    const vocab = logits.length / (groups * numBeams);
    for (let step = 0; step < maxNewTokens; step++) {
      const sources: number[] = [];
      const tokens: number[] = [];
      for (let group = 0; group < groups; group++) {
        if (done[group]) {
          for (let k = 0; k < numBeams; k++) {
            sources.push(group * numBeams + k);
            tokens.push(settings.padTokenId);
          }
          continue;
        }
        const forcedToken = forced[group]?.[step];
        const allowed = (token: number) =>
          forcedToken !== undefined ? token === forcedToken : !(step < minNewTokensAt(minNewTokens, group) && eos.has(token));
        const candidates = bestCandidates(logits, vocab, running[group], group * numBeams, 2 * numBeams, allowed);
        const next: Hypothesis[] = [];
        for (const [rank, candidate] of candidates.entries()) {
          const parent = running[group][candidate.beam];
          const hypothesis = { tokens: [...parent.tokens, candidate.token], logProbs: [...parent.logProbs, candidate.logProb], total: candidate.total };
          if (stopAtEos && eos.has(candidate.token)) {
            if (rank < numBeams) finished[group].push({ score: beamScore(hypothesis.total, step + 1, lengthPenalty), hypothesis });
            continue;
          }
          next.push(hypothesis);
          sources.push(group * numBeams + candidate.beam);
          tokens.push(candidate.token);
          if (next.length === numBeams) break;
        }
        while (next.length < numBeams) {
          next.push({ tokens: [], logProbs: [], total: -Infinity });
          sources.push(group * numBeams);
          tokens.push(settings.padTokenId);
        }
        running[group] = next;
        finished[group].sort((a, b) => b.score - a.score).splice(numBeams);
        const bestRunning = Math.max(...next.map((beam) => beamScore(beam.total, step + 1, lengthPenalty)));
        done[group] =
          finished[group].length >= numBeams && (bestRunning === -Infinity || finished[group][numBeams - 1].score >= bestRunning);
      }
      if (step === maxNewTokens - 1 || done.every(Boolean)) break;
      session.reorder(sources);
      logits = await session.step(tokens);
    }
  } finally {
    session.dispose();
  }
  return collectBest(running, finished, maxNewTokens, lengthPenalty, settings.padTokenId);
}

function collectBest(
  running: readonly Hypothesis[][],
  finished: readonly { score: number; hypothesis: Hypothesis }[][],
  maxNewTokens: number,
  lengthPenalty: number,
  padTokenId: number,
): GenerateResultV1 {
  const result: GenerateResultV1 = { ids: [], logProbs: [], mask: [] };
  running.forEach((beams, group) => {
    const pool = [
      ...finished[group],
      ...beams.filter((beam) => Number.isFinite(beam.total)).map((hypothesis) => ({ score: beamScore(hypothesis.total, hypothesis.tokens.length, lengthPenalty), hypothesis })),
    ];
    const best = pool.reduce((a, b) => (b.score > a.score ? b : a)).hypothesis;
    const pad = maxNewTokens - best.tokens.length;
    result.ids.push([...best.tokens, ...new Array<number>(pad).fill(padTokenId)]);
    result.logProbs.push([...best.logProbs, ...new Array<number>(pad).fill(0)]);
    result.mask.push([...best.tokens.map(() => 1), ...new Array<number>(pad).fill(0)]);
  });
  return result;
}
