import type { GenerateRequestV1, GenerateResultV1 } from '@rlgf/contracts';
import { Rng } from '@rlgf/core';
import { isHostMemoryBackend } from '../backend/host-view';
import { beamSearch } from './beam-search';
import { checkGenerateRequest } from './check-request';
import { decodeOnDevice } from './decode-on-device';
import { openDecoding, type GenerationSource } from './incremental-decoding';
import { minNewTokensAt } from '@rlgf/core';
import { logSumExp, samplingProcessors, suppressTokensProcessor } from './logits-processors';
import { argmax, sampleToken } from './token-choice';

/** Settings of a model that generation needs besides the request. */
export interface GenerationSettings {
  readonly eosTokenIds: readonly number[];
  readonly padTokenId: number;
  /** Recompute the prefix each step instead of caching keys/values (benchmarks only). */
  readonly useCache?: boolean;
  /**
   * Choose tokens on the device (no read between steps; see `decodeOnDevice`) or on the host
   * (one read of the logits per step). Default: on the device where tensors live off the host
   * (webgpu, tensorflow), on the host on wasm and cpu, where a read costs nothing and seeded
   * draws keep the tokens they always had.
   */
  readonly chooseTokensOn?: 'host' | 'device';
}

/**
 * Batched generation with a preallocated KV cache: greedy, sampling (temperature, top-k, top-p)
 * or beam search; per-row forced prefixes; EOS handling with `minNewTokens`. On the host path it
 * reads the device once per step (the last position's logits) and chooses tokens by host
 * arithmetic; on the device path (`chooseTokensOn`) nothing is read until the end.
 */
export async function generate(network: GenerationSource, request: GenerateRequestV1, settings: GenerationSettings): Promise<GenerateResultV1> {
  checkGenerateRequest(request, network.config);
  if (request.decoding.strategy === 'beam') return beamSearch(network, request, settings);
  const { promptIds, maxNewTokens, minNewTokens, decoding, stopAtEos = true } = request;
  const forced = request.forcedPrefixIds ?? [];
  const rows = promptIds.length;
  const rng = Rng.fromSeed(request.seed ?? 0, 'generate');
  const processors = samplingProcessors(decoding);
  const suppressEos = suppressTokensProcessor(settings.eosTokenIds);
  const result: GenerateResultV1 = {
    ids: promptIds.map(() => new Array<number>(maxNewTokens).fill(settings.padTokenId)),
    logProbs: promptIds.map(() => new Array<number>(maxNewTokens).fill(0)),
    mask: promptIds.map(() => new Array<number>(maxNewTokens).fill(0)),
  };
  const finished = new Array<boolean>(rows).fill(false);
  const session = openDecoding(network, promptIds, maxNewTokens, { padTokenId: settings.padTokenId, useCache: settings.useCache });
  try {
    const onDevice = (settings.chooseTokensOn ?? (isHostMemoryBackend() ? 'host' : 'device')) === 'device';
    if (onDevice && session.onDevice) return await decodeOnDevice(session.onDevice, request, settings);
    let logits = await session.start();
    const vocab = logits.length / rows;
    for (let step = 0; step < maxNewTokens; step++) {
      const chosen = new Array<number>(rows).fill(settings.padTokenId);
      for (let row = 0; row < rows; row++) {
        if (finished[row]) continue;
        const raw = logits.subarray(row * vocab, (row + 1) * vocab);
        let token: number;
        if (step < (forced[row]?.length ?? 0)) {
          token = forced[row][step];
        } else {
          const scores = Float32Array.from(raw);
          if (step < minNewTokensAt(minNewTokens, row)) suppressEos(scores);
          for (const process of processors) process(scores);
          token = decoding.strategy === 'sample' ? sampleToken(scores, rng) : argmax(scores);
        }
        chosen[row] = token;
        result.ids[row][step] = token;
        result.logProbs[row][step] = raw[token] - logSumExp(raw);
        result.mask[row][step] = 1;
        if (stopAtEos && settings.eosTokenIds.includes(token)) finished[row] = true;
      }
      if (step === maxNewTokens - 1 || finished.every(Boolean)) break;
      logits = await session.step(chosen);
    }
  } finally {
    session.dispose();
  }
  return result;
}
