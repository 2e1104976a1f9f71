import { countNgrams, ngramPrefix, wordTokenize } from '@rlgf/text';

// Python's string.punctuation: GEM drops tokens equal to one of these characters.
const punctuation = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

/** GEM-metrics' `Predictions.list_tokenized_lower`: NLTK word_tokenize, lower-cased. */
export function gemTokenize(prediction: string, dropPunctuation = false): string[] {
  const tokens = wordTokenize(prediction).map((token) => token.toLowerCase());
  return dropPunctuation ? tokens.filter((token) => !punctuation.has(token)) : tokens;
}

function entropy(frequencies: Map<string, number>): number {
  const total = [...frequencies.values()].reduce((a, b) => a + b, 0);
  return -[...frequencies.values()].reduce((sum, frequency) => sum + (frequency / total) * Math.log2(frequency / total), 0);
}

function conditionalEntropy(joint: Map<string, number>, context: Map<string, number>, contextKey: (key: string) => string): number {
  const totalJoint = [...joint.values()].reduce((a, b) => a + b, 0);
  const totalContext = [...context.values()].reduce((a, b) => a + b, 0);
  let sum = 0;
  for (const [key, frequency] of joint) {
    sum += (frequency / totalJoint) * Math.log2(frequency / totalJoint / ((context.get(contextKey(key)) as number) / totalContext));
  }
  return -sum;
}

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** GEM-metrics' MSTTR: mean type-token ratio over consecutive full windows of the concatenated tokens. */
function msttr(tokenized: readonly string[][], windowSize: number): number {
  const all = tokenized.flat();
  const ratios: number[] = [];
  for (let start = 0; start + windowSize <= all.length; start += windowSize) {
    ratios.push(new Set(all.slice(start, start + windowSize)).size / windowSize);
  }
  return ratios.length === 0 ? Number.NaN : ratios.reduce((a, b) => a + b, 0) / ratios.length;
}

/**
 * GEM-metrics' NGramStats (n = 1..3) and MSTTR on lower-cased NLTK tokens: `distinct-n` (distinct
 * n-grams / all n-grams), `vocab_size-n` (distinct n-grams), `unique-n` (n-grams occurring
 * exactly once in the whole output), `entropy-n`, `cond_entropy-n`, length statistics and
 * `msttr-<window>` (rounded to 5 decimals as GEM does). n-grams never cross predictions.
 */
export function diversityStats(predictions: readonly string[], options: { dropPunctuation?: boolean; windowSize?: number } = {}): Record<string, number> {
  const tokenized = predictions.map((prediction) => gemTokenize(prediction, options.dropPunctuation ?? false));
  const lengths = tokenized.map((tokens) => tokens.length);
  const meanLength = lengths.reduce((a, b) => a + b, 0) / lengths.length;
  const results: Record<string, number> = {
    total_length: lengths.reduce((a, b) => a + b, 0),
    mean_pred_length: meanLength,
    std_pred_length: Math.sqrt(lengths.reduce((sum, length) => sum + (length - meanLength) ** 2, 0) / lengths.length),
    median_pred_length: median([...lengths].sort((a, b) => a - b)),
    min_pred_length: Math.min(...lengths),
    max_pred_length: Math.max(...lengths),
  };
  let previous: Map<string, number> | undefined;
  for (let n = 1; n <= 3; n += 1) {
    const frequencies = new Map<string, number>();
    let total = 0;
    for (const tokens of tokenized) {
      for (const [key, count] of countNgrams(tokens, n, n)) {
        frequencies.set(key, (frequencies.get(key) ?? 0) + count);
        total += count;
      }
    }
    results[`distinct-${n}`] = total > 0 ? frequencies.size / total : 0;
    results[`vocab_size-${n}`] = frequencies.size;
    results[`unique-${n}`] = [...frequencies.values()].filter((count) => count === 1).length;
    results[`entropy-${n}`] = entropy(frequencies);
    if (previous !== undefined && previous.size > 0) {
      results[`cond_entropy-${n}`] = conditionalEntropy(frequencies, previous, ngramPrefix);
    }
    previous = frequencies;
  }
  const window = options.windowSize ?? 100;
  results[`msttr-${window}`] = Math.round(msttr(tokenized, window) * 1e5) / 1e5;
  return results;
}
