import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { locateWordNetFiles, type WordNetFiles } from './locate-files';

/** WordNet parts of speech in NLTK's `POS_LIST` order. */
export type WordNetPos = 'n' | 'v' | 'a' | 'r';
export const wordNetPosList: readonly WordNetPos[] = ['n', 'v', 'a', 'r'];
const fileSuffix: Record<WordNetPos, string> = { n: 'noun', v: 'verb', a: 'adj', r: 'adv' };

// nltk.corpus.reader.wordnet.WordNetCorpusReader.MORPHOLOGICAL_SUBSTITUTIONS
const substitutions: Record<WordNetPos, readonly (readonly [string, string])[]> = {
  n: [['s', ''], ['ses', 's'], ['ves', 'f'], ['xes', 'x'], ['zes', 'z'], ['ches', 'ch'], ['shes', 'sh'], ['men', 'man'], ['ies', 'y']],
  v: [['s', ''], ['ies', 'y'], ['es', 'e'], ['es', ''], ['ed', 'e'], ['ed', ''], ['ing', 'e'], ['ing', '']],
  a: [['er', ''], ['est', ''], ['er', 'e'], ['est', 'e']],
  r: [],
};

/**
 * WordNet 3.0 as NLTK's WordNetCorpusReader reads it: the lemma index, the exception lists and
 * synset lemma names (read from the data files at the synset's byte offset, on demand).
 */
export class WordNet {
  private readonly index = new Map<string, Map<WordNetPos, number[]>>();
  private readonly exceptions = new Map<WordNetPos, Map<string, string[]>>();
  private readonly data = new Map<WordNetPos, Buffer>();
  private readonly synonymCache = new Map<string, ReadonlySet<string>>();

  constructor(files: WordNetFiles) {
    for (const pos of wordNetPosList) {
      this.loadIndex(pos, readFileSync(join(files.databaseDir, `index.${fileSuffix[pos]}`), 'utf8'));
      this.exceptions.set(pos, parseExceptions(readFileSync(join(files.exceptionsDir, `${fileSuffix[pos]}.exc`), 'utf8')));
      this.data.set(pos, readFileSync(join(files.databaseDir, `data.${fileSuffix[pos]}`)));
    }
  }

  private loadIndex(pos: WordNetPos, text: string): void {
    for (const line of text.split('\n')) {
      if (line.length === 0 || line.startsWith(' ')) continue;
      const fields = line.trim().split(/\s+/);
      const synsetCount = Number(fields[2]);
      const pointerCount = Number(fields[3]);
      const offsets = fields.slice(6 + pointerCount, 6 + pointerCount + synsetCount).map(Number);
      let byPos = this.index.get(fields[0]);
      if (byPos === undefined) this.index.set(fields[0], (byPos = new Map()));
      byPos.set(fields[1] as WordNetPos, offsets);
    }
  }

  /** True when `lemma` has synsets with this part of speech. */
  hasLemma(lemma: string, pos: WordNetPos): boolean {
    return this.index.get(lemma)?.has(pos) ?? false;
  }

  /** NLTK's `wordnet._morphy(form, pos)`: the base forms of `form` found in WordNet. */
  morphy(form: string, pos: WordNetPos): string[] {
    const keep = (forms: readonly string[]): string[] => [...new Set(forms.filter((candidate) => this.hasLemma(candidate, pos)))];
    const applyRules = (forms: readonly string[]): string[] =>
      forms.flatMap((candidate) =>
        substitutions[pos].filter(([old]) => candidate.endsWith(old)).map(([old, replacement]) => candidate.slice(0, candidate.length - old.length) + replacement),
      );
    const exception = this.exceptions.get(pos)?.get(form);
    if (exception) return keep([form, ...exception]);
    let forms = applyRules([form]);
    const direct = keep([form, ...forms]);
    if (direct.length > 0) return direct;
    while (forms.length > 0) {
      forms = applyRules(forms);
      const found = keep(forms);
      if (found.length > 0) return found;
    }
    return [];
  }

  /** Lemma names (case kept, syntactic markers removed) of the synset at `offset`. */
  synsetLemmaNames(pos: WordNetPos, offset: number): string[] {
    const buffer = this.data.get(pos) as Buffer;
    const end = buffer.indexOf(0x0a, offset);
    const fields = buffer.toString('utf8', offset, end === -1 ? buffer.length : end).split(' ');
    const wordCount = parseInt(fields[3], 16);
    const names: string[] = [];
    for (let i = 0; i < wordCount; i += 1) names.push(fields[4 + 2 * i].replace(/\(.*\)$/, ''));
    return names;
  }

  /**
   * The names of every lemma of every synset of `word` over all parts of speech, as
   * `{lemma.name() for synset in wordnet.synsets(word) for lemma in synset.lemmas()}` in NLTK.
   */
  synonyms(word: string): ReadonlySet<string> {
    const lowered = word.toLowerCase();
    const cached = this.synonymCache.get(lowered);
    if (cached) return cached;
    const names = new Set<string>();
    for (const pos of wordNetPosList) {
      for (const form of this.morphy(lowered, pos)) {
        for (const offset of this.index.get(form)?.get(pos) ?? []) {
          for (const name of this.synsetLemmaNames(pos, offset)) names.add(name);
        }
      }
    }
    this.synonymCache.set(lowered, names);
    return names;
  }
}

function parseExceptions(text: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const terms = line.trim().split(/\s+/);
    if (terms[0]) map.set(terms[0], terms.slice(1));
  }
  return map;
}

let shared: WordNet | undefined;

/** The WordNet 3.0 database from the installed packages, loaded once per process (about a second). */
export function defaultWordNet(): WordNet {
  shared ??= new WordNet(locateWordNetFiles());
  return shared;
}
