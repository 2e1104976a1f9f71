// jstat ships no types; only what the experiments use. It is a CommonJS module whose export is
// the jStat object itself, so it is imported as the default export (ESM and Jest alike).
declare module 'jstat' {
  const jStat: {
    readonly studentt: {
      /** Quantile of Student's t distribution with `dof` degrees of freedom. */
      inv(p: number, dof: number): number;
    };
    /** First, second (median) and third quartile of a sample. */
    quartiles(values: readonly number[]): [number, number, number];
  };
  export default jStat;
}
