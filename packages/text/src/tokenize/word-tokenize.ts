import { nltkWordTokenizeSentence } from './nltk-word-tokenizer';
import { punktSentences } from './punkt-sentences';

/** NLTK's `word_tokenize(text)`: Punkt sentences, then NLTKWordTokenizer on each. */
export function wordTokenize(text: string): string[] {
  return punktSentences(text).flatMap(nltkWordTokenizeSentence);
}
