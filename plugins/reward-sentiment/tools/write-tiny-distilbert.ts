// Writes the tiny random DistilBERT checkpoint of the tests to a directory, for
// distilbert_reference.py:
//   npx tsx plugins/reward-sentiment/tools/write-tiny-distilbert.ts /tmp/tiny-distilbert
//   /usr/bin/python3 plugins/reward-sentiment/tools/distilbert_reference.py /tmp/tiny-distilbert \
//     plugins/reward-sentiment/src/distilbert/__fixtures__/tiny-distilbert-texts.json \
//     > plugins/reward-sentiment/src/distilbert/__fixtures__/tiny-distilbert-golden.json
import { writeTinyDistilBert } from '../src/distilbert/__fixtures__/tiny-distilbert';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: write-tiny-distilbert.ts <output dir>\n');
  process.exit(2);
}
await writeTinyDistilBert(dir);
process.stderr.write(`wrote ${dir}\n`);
