/** Parquet shards of each split of each config: `config -> split -> paths` (paths sorted). */
export type DatasetLayout = ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;

// The datasets library's split keywords (data_files.py SPLIT_KEYWORDS) and its separators.
const splitKeywords: Readonly<Record<string, string>> = {
  train: 'train',
  training: 'train',
  validation: 'validation',
  valid: 'validation',
  dev: 'validation',
  val: 'validation',
  test: 'test',
  testing: 'test',
  eval: 'test',
  evaluation: 'test',
};
const shardedName = /^(\w+(?:\.\w+)*)-\d{5}-of-\d{5}[^/]*\.parquet$/;
const canonicalOrder = ['train', 'validation', 'test'];

const keywordSplit = (word: string | undefined) => (word !== undefined && Object.hasOwn(splitKeywords, word) ? splitKeywords[word] : undefined);

/** Where one file belongs: its split (if its name or folder says) and the folder that is its config. */
function placeFile(path: string): { configDir: string; split?: string } {
  const parts = path.split('/');
  const name = parts[parts.length - 1];
  const dir = parts.slice(0, -1);
  const sharded = shardedName.exec(name);
  if (sharded) {
    // `data/train/train-00000-of-00001.parquet`: the split's own folder is not a config.
    const inSplitFolder = dir.length > 0 && keywordSplit(dir[dir.length - 1]) === keywordSplit(sharded[1]) && keywordSplit(sharded[1]) !== undefined;
    return { configDir: (inSplitFolder ? dir.slice(0, -1) : dir).join('/'), split: sharded[1] };
  }
  // `<config>/<split>/0000.parquet`, as the Hub's parquet converter writes (also `partial-<split>`).
  const folderSplit = keywordSplit(dir[dir.length - 1]?.replace(/^partial-/, ''));
  if (folderSplit) return { configDir: dir.slice(0, -1).join('/'), split: folderSplit };
  // `train.parquet`, `test_0.parquet`, `dev-part.parquet`: a keyword, then a separator.
  const stemSplit = keywordSplit(/^([A-Za-z]+)(?:[-._ 0-9]|$)/.exec(name.replace(/\.parquet$/, ''))?.[1]);
  return { configDir: dir.join('/'), split: stemSplit };
}

const configName = (configDir: string) => (configDir === '' || configDir === 'data' ? 'default' : configDir);

function splitRank(split: string): [number, string] {
  const index = canonicalOrder.indexOf(split);
  return [index === -1 ? canonicalOrder.length : index, split];
}

function compareSplits(a: string, b: string): number {
  const [rankA, nameA] = splitRank(a);
  const [rankB, nameB] = splitRank(b);
  return rankA - rankB || (nameA < nameB ? -1 : nameA > nameB ? 1 : 0);
}

/**
 * Groups a repository's parquet files into configs and splits, after the `datasets` library's
 * default data-file conventions: `<split>-NNNNN-of-NNNNN.parquet`, a file or folder named after a
 * split keyword (`train`/`training`, `validation`/`valid`/`dev`/`val`, `test`/`testing`/`eval`/
 * `evaluation`). The folder holding a split's files is its config (`plain_text`); the repository
 * root and `data/` are the config `default`. A config whose files name no split is all `train`.
 * Pure: works on the file list alone.
 */
export function discoverParquetLayout(paths: readonly string[]): DatasetLayout {
  const placed = new Map<string, { split?: string; path: string }[]>();
  for (const path of paths.filter((file) => file.endsWith('.parquet'))) {
    const { configDir, split } = placeFile(path);
    const config = configName(configDir);
    placed.set(config, [...(placed.get(config) ?? []), { split, path }]);
  }
  const layout = new Map<string, Map<string, string[]>>();
  const configs = [...placed.keys()].sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a < b ? -1 : a > b ? 1 : 0));
  for (const config of configs) {
    const files = placed.get(config) ?? [];
    const anyNamed = files.some((file) => file.split !== undefined);
    const splits = new Map<string, string[]>();
    for (const file of files) {
      const split = anyNamed ? file.split : 'train';
      if (split !== undefined) splits.set(split, [...(splits.get(split) ?? []), file.path]);
    }
    const ordered = new Map([...splits.keys()].sort(compareSplits).map((split) => [split, [...(splits.get(split) ?? [])].sort()]));
    layout.set(config, ordered);
  }
  return layout;
}
