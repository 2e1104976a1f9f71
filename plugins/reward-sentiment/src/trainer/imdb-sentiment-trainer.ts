import type { ComponentFactoryV1, RewardTrainOptionsV1, RewardTrainResultV1, RewardTrainerV1 } from '@rlgf/contracts';
import { resolve } from 'node:path';
import { saveNgramCheckpoint } from '../ngram/ngram-checkpoint';
import { textFeatures, type NgramFeaturesConfig } from '../ngram/ngram-model';
import { reviewWordsTokenizer } from '../ngram/review-words';
import { trainNgramModel, type LabelledFeatures } from '../ngram/train-ngram';
import { evaluateNgramModel } from './evaluate';
import { imdbDatasetRepo, loadImdbReviews, type LabelledReview } from './imdb-reviews';
import { parseTrainerSettings, trainerSettingsHelp } from './trainer-settings';

function featurize(reviews: readonly LabelledReview[], features: NgramFeaturesConfig, report: (done: number) => void): LabelledFeatures[] {
  return reviews.map((review, i) => {
    if ((i + 1) % 5000 === 0 || i + 1 === reviews.length) report(i + 1);
    return { features: textFeatures(review.text, features), label: review.label };
  });
}

/**
 * Trains the IMDB sentiment classifier the `sentiment` reward loads: NB-LR over hashed word
 * uni/bi-grams, on the IMDB train split, measured on the test split. Uses the active
 * TensorFlow.js backend (the CLI sets it with `--backend`).
 */
async function trainImdbSentiment(options: RewardTrainOptionsV1): Promise<RewardTrainResultV1> {
  const settings = parseTrainerSettings(options.settings);
  const { seed, hub, logger, abortSignal } = options;
  const progress = options.onProgress ?? (() => undefined);
  const started = Date.now();

  const [train, test] = await Promise.all([
    loadImdbReviews(hub, 'train', { count: settings.trainSize, seed, abortSignal }),
    loadImdbReviews(hub, 'test', { count: settings.evalSize, seed, abortSignal }),
  ]);
  logger.info(`imdb-sentiment: ${train.length} train and ${test.length} test reviews from ${imdbDatasetRepo}`);
  const features: NgramFeaturesConfig = { tokenizer: reviewWordsTokenizer, ngramMax: settings.ngramMax, buckets: settings.buckets };
  const trainExamples = featurize(train, features, (done) => progress('features', done, train.length + test.length));
  const testExamples = featurize(test, features, (done) => progress('features', train.length + done, train.length + test.length));

  const trainingStarted = Date.now();
  const model = await trainNgramModel(
    trainExamples,
    { features, epochs: settings.epochs, learningRate: settings.learningRate, batchSize: settings.batchSize, nbSmoothing: settings.nbSmoothing, seed },
    { abortSignal, onBatch: (done, total, loss) => progress('train', done, total, { loss }) },
  );
  const trainSeconds = (Date.now() - trainingStarted) / 1000;
  const { accuracy, logLoss } = evaluateNgramModel(model, testExamples);
  const metrics = { accuracy, log_loss: logLoss, eval_reviews: testExamples.length, train_reviews: trainExamples.length };
  logger.info(`imdb-sentiment: test accuracy ${(100 * accuracy).toFixed(2)}% on ${testExamples.length} reviews, log loss ${logLoss.toFixed(4)}; fitted in ${trainSeconds.toFixed(1)} s`);

  const checkpointDir = resolve(options.outDir);
  const training = {
    method: 'NB-LR (Wang & Manning 2012): logistic regression on naive-Bayes-scaled binary hashed n-grams, Adam',
    dataset: `${imdbDatasetRepo} train${settings.trainSize === undefined ? '' : ` (seeded sample of ${settings.trainSize})`}`,
    evaluated_on: `${imdbDatasetRepo} test${settings.evalSize === undefined ? '' : ` (seeded sample of ${settings.evalSize})`}`,
    seed,
    epochs: settings.epochs,
    learning_rate: settings.learningRate,
    batch_size: settings.batchSize,
    nb_smoothing: settings.nbSmoothing,
    fit_seconds: Math.round(trainSeconds * 10) / 10,
    total_seconds: Math.round((Date.now() - started) / 100) / 10,
  };
  await saveNgramCheckpoint(checkpointDir, model, { training, metrics });
  return {
    checkpointDir,
    metrics,
    usage: `reward: { id: sentiment, options: { model: ${JSON.stringify(checkpointDir)} } }`,
  };
}

export const imdbSentimentTrainerFactory: ComponentFactoryV1<'reward-trainer'> = {
  specificationVersion: 'v1',
  kind: 'reward-trainer',
  id: 'imdb-sentiment',
  description: 'trains the IMDB sentiment classifier of the `sentiment` reward (NB-LR over hashed word uni/bi-grams; ~91% test accuracy)',
  options: trainerSettingsHelp,
  async create(): Promise<RewardTrainerV1> {
    return { specificationVersion: 'v1', id: 'imdb-sentiment', task: 'imdb', doTrain: trainImdbSentiment };
  },
};
