/**
 * Naive-Bayes log-count ratios of binary features (Wang & Manning 2012, "Baselines and bigrams"):
 * r = log((p / |p|₁) / (q / |q|₁)) with p = α + the number of positive examples holding each
 * feature and q the same for negative ones. Scaling features by r before a logistic regression
 * (NB-LR) adds 1-1.5 points of IMDB accuracy over plain binary features.
 */
export function nbLogCountRatios(examples: readonly { readonly features: Int32Array; readonly label: number }[], buckets: number, smoothing: number): Float32Array {
  const positive = new Float64Array(buckets).fill(smoothing);
  const negative = new Float64Array(buckets).fill(smoothing);
  for (const example of examples) {
    const counts = example.label === 1 ? positive : negative;
    for (const bucket of example.features) counts[bucket] += 1;
  }
  let positiveTotal = 0;
  let negativeTotal = 0;
  for (let j = 0; j < buckets; j += 1) {
    positiveTotal += positive[j];
    negativeTotal += negative[j];
  }
  const ratios = new Float32Array(buckets);
  const normaliser = Math.log(negativeTotal / positiveTotal);
  for (let j = 0; j < buckets; j += 1) ratios[j] = Math.log(positive[j] / negative[j]) + normaliser;
  return ratios;
}
