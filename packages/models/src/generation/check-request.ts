import { InvalidArgumentError } from '@rlgf/contracts';
import type { GenerateRequestV1 } from '@rlgf/contracts';
import type { CausalLmConfig } from '../architectures/causal-lm';
import { minNewTokensAt } from '@rlgf/core';

const isTokenId = (vocabSize: number) => (id: number) => Number.isInteger(id) && id >= 0 && id < vocabSize;

/** Rejects a generation request the model cannot serve, saying which field is wrong. */
export function checkGenerateRequest(request: GenerateRequestV1, config: Pick<CausalLmConfig, 'vocabSize' | 'maxPositions'>): void {
  const { promptIds, forcedPrefixIds, maxNewTokens, minNewTokens } = request;
  const validId = isTokenId(config.vocabSize);
  if (promptIds.length === 0) throw new InvalidArgumentError({ argument: 'promptIds', value: promptIds, expected: 'at least one prompt' });
  promptIds.forEach((prompt, row) => {
    if (prompt.length === 0) {
      throw new InvalidArgumentError({ argument: `promptIds[${row}]`, value: prompt, expected: 'a non-empty list of token ids', hint: 'start the prompt with BOS' });
    }
    if (!prompt.every(validId)) {
      throw new InvalidArgumentError({ argument: `promptIds[${row}]`, value: prompt, expected: `token ids in [0, ${config.vocabSize})` });
    }
  });
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 1) {
    throw new InvalidArgumentError({ argument: 'maxNewTokens', value: maxNewTokens, expected: 'an integer >= 1' });
  }
  if (typeof minNewTokens === 'object' && minNewTokens.length !== promptIds.length) {
    throw new InvalidArgumentError({ argument: 'minNewTokens', value: minNewTokens.length, expected: `one minimum per prompt (${promptIds.length}) or one number` });
  }
  promptIds.forEach((_, row) => {
    const minimum = minNewTokensAt(minNewTokens, row);
    if (!Number.isInteger(minimum) || minimum < 0 || minimum > maxNewTokens) {
      const argument = typeof minNewTokens === 'object' ? `minNewTokens[${row}]` : 'minNewTokens';
      throw new InvalidArgumentError({ argument, value: minimum, expected: `an integer in [0, maxNewTokens = ${maxNewTokens}]` });
    }
  });
  const longest = Math.max(...promptIds.map((prompt) => prompt.length)) + maxNewTokens;
  if (longest > config.maxPositions) {
    throw new InvalidArgumentError({
      argument: 'maxNewTokens',
      value: maxNewTokens,
      expected: `prompt + generation within the model's ${config.maxPositions} positions (longest prompt + maxNewTokens = ${longest})`,
      hint: 'shorten the prompts or generate fewer tokens',
    });
  }
  if (forcedPrefixIds !== undefined) {
    if (forcedPrefixIds.length !== promptIds.length) {
      throw new InvalidArgumentError({ argument: 'forcedPrefixIds', value: forcedPrefixIds.length, expected: `one prefix per prompt (${promptIds.length})` });
    }
    forcedPrefixIds.forEach((prefix, row) => {
      if (prefix.length > maxNewTokens || !prefix.every(validId)) {
        throw new InvalidArgumentError({
          argument: `forcedPrefixIds[${row}]`,
          value: prefix,
          expected: `at most maxNewTokens (${maxNewTokens}) token ids in [0, ${config.vocabSize})`,
        });
      }
    });
  }
  checkDecoding(request);
}

function checkDecoding({ decoding }: GenerateRequestV1): void {
  if (decoding.strategy === 'sample') {
    const { temperature = 1, topK = 0, topP = 1 } = decoding;
    if (!(temperature > 0) || !Number.isFinite(temperature)) {
      throw new InvalidArgumentError({ argument: 'decoding.temperature', value: temperature, expected: 'a number > 0', hint: 'use strategy "greedy" for temperature 0' });
    }
    if (!Number.isInteger(topK) || topK < 0) throw new InvalidArgumentError({ argument: 'decoding.topK', value: topK, expected: 'an integer >= 0' });
    if (!(topP > 0 && topP <= 1)) throw new InvalidArgumentError({ argument: 'decoding.topP', value: topP, expected: 'a number in (0, 1]' });
  } else if (decoding.strategy === 'beam') {
    if (!Number.isInteger(decoding.numBeams) || decoding.numBeams < 1) {
      throw new InvalidArgumentError({ argument: 'decoding.numBeams', value: decoding.numBeams, expected: 'an integer >= 1' });
    }
    if (!Number.isFinite(decoding.lengthPenalty ?? 1)) {
      throw new InvalidArgumentError({ argument: 'decoding.lengthPenalty', value: decoding.lengthPenalty, expected: 'a finite number' });
    }
  } else if (decoding.strategy !== 'greedy') {
    throw new InvalidArgumentError({ argument: 'decoding.strategy', value: (decoding as { strategy: unknown }).strategy, expected: 'greedy, sample or beam' });
  }
}
