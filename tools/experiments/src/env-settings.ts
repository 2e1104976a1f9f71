/**
 * A whole-number setting of an experiment from the environment (`fallback` when unset), or an
 * error naming the variable: `IMDB_EPOCHS=two` must stop the experiment at once, not name a run
 * folder `NaN-epochs` and fail an hour later.
 */
export function wholeNumberEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1, got ${JSON.stringify(text)}`);
  return value;
}
