import { DatasetError } from '@rlgf/contracts';

/** One CommonGen concept set with every reference sentence the dataset has for it. */
export interface ConceptSet {
  readonly index: number;
  readonly concepts: readonly string[];
  readonly references: readonly string[];
}

/**
 * Groups CommonGen rows (one per concept set and reference) by `concept_set_idx`, keeping the
 * order in which sets first appear and every non-empty reference in row order. This is how TRIL's
 * CommonGen task builds its samples for every split, training included: one sample per concept
 * set, all of its references attached (RL4LMs' pool keeps one row per reference instead).
 */
export function groupConceptSets(rows: readonly Readonly<Record<string, unknown>>[], source: string): ConceptSet[] {
  const sets = new Map<number, { concepts: string[]; references: string[] }>();
  rows.forEach((row, i) => {
    const index = Number(row.concept_set_idx);
    const concepts = row.concepts;
    if (!Number.isInteger(index) || !Array.isArray(concepts) || !concepts.every((concept) => typeof concept === 'string') || typeof row.target !== 'string') {
      throw new DatasetError({
        message: `row ${i} of ${source} is not a CommonGen row (concept_set_idx, concepts, target)`,
        hint: 'point the task at allenai/common_gen',
      });
    }
    let set = sets.get(index);
    if (set === undefined) {
      set = { concepts: concepts as string[], references: [] };
      sets.set(index, set);
    }
    const target = row.target.trim();
    if (target !== '') set.references.push(target);
  });
  return [...sets].map(([index, set]) => ({ index, concepts: set.concepts, references: set.references }));
}
