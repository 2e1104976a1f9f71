import { InvalidArgumentError } from '@rlgf/contracts';
import type { GenerationRow } from './generation-row';
import type { ServableModel } from './servable-model';

/** Rejects rows the model cannot continue, naming the row and what is wrong. */
export function checkRows(model: ServableModel, rows: readonly GenerationRow[]): void {
  const { vocabSize, maxPositions } = model.info;
  rows.forEach((row, i) => {
    if (row.promptIds.length === 0 || !row.promptIds.every((id) => Number.isInteger(id) && id >= 0 && id < vocabSize)) {
      throw new InvalidArgumentError({ argument: `rows[${i}].promptIds`, value: row.promptIds, expected: `a non-empty list of token ids in [0, ${vocabSize})` });
    }
    if (!Number.isInteger(row.maxNewTokens) || row.maxNewTokens < 1) {
      throw new InvalidArgumentError({ argument: `rows[${i}].maxNewTokens`, value: row.maxNewTokens, expected: 'an integer >= 1' });
    }
    const minNewTokens = row.minNewTokens ?? 0;
    if (!Number.isInteger(minNewTokens) || minNewTokens < 0 || minNewTokens > row.maxNewTokens) {
      throw new InvalidArgumentError({ argument: `rows[${i}].minNewTokens`, value: minNewTokens, expected: `an integer in [0, maxNewTokens = ${row.maxNewTokens}]` });
    }
    if (row.promptIds.length + row.maxNewTokens > maxPositions) {
      throw new InvalidArgumentError({
        argument: `rows[${i}].maxNewTokens`,
        value: row.maxNewTokens,
        expected: `prompt (${row.promptIds.length} tokens) + new tokens within the model's ${maxPositions} positions`,
      });
    }
    if (!Number.isSafeInteger(row.seed) || row.seed < 0) {
      throw new InvalidArgumentError({ argument: `rows[${i}].seed`, value: row.seed, expected: 'an integer in [0, 2^53)' });
    }
  });
}
