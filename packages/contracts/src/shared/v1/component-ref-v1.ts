/**
 * How a recipe names a component (task, guide, reward, metric): its registered id plus the
 * options handed to the component's factory, which validates them itself.
 */
export interface ComponentRefV1 {
  /** The id the component was registered under, e.g. `imdb`, `cider-d`, `local`. */
  readonly id: string;
  /** Factory options; each factory validates and documents its own. */
  readonly options?: Readonly<Record<string, unknown>>;
}
