// jstat ships no types; only what the experiments use.
declare module 'jstat' {
  export const jStat: {
    readonly studentt: {
      /** Quantile of Student's t distribution with `dof` degrees of freedom. */
      inv(p: number, dof: number): number;
    };
  };
}
