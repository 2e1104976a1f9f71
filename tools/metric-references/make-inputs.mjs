#!/usr/bin/env node
// Builds the evaluation items the golden values are computed on: real CommonGen validation
// concept sets (one reference used as the prediction, the others as references) plus
// hand-written predictions with punctuation, contractions, numbers and capitals. For the
// pycocoevalcap metrics it also records this repository's PTB tokenization of every caption,
// which the Python scorers then consume (the Stanford jar itself is not available here).
//
//   node --import tsx tools/metric-references/make-inputs.mjs > /tmp/metric-inputs.json
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { cocoPtbTokenize, englishAbbreviations } from '../../packages/text/src/index.ts';

const hub = process.env.RLGF_HUB_MIRROR ?? '../shared/hub';
const file = await asyncBufferFromFile(`${hub}/datasets/allenai/common_gen/data/validation-00000-of-00001.parquet`);
const rows = await parquetReadObjects({ file, compressors });

const bySet = new Map();
for (const row of rows) {
  const entry = bySet.get(row.concept_set_idx) ?? { concepts: [...row.concepts], targets: [] };
  entry.targets.push(row.target);
  bySet.set(row.concept_set_idx, entry);
}
const items = [...bySet.values()]
  .filter((entry) => entry.targets.length >= 3)
  .slice(0, 60)
  .map((entry) => ({ prediction: entry.targets[0], references: entry.targets.slice(1), concepts: entry.concepts }));

const handWritten = [
  { prediction: "The dog doesn't want to catch the frisbee; it can't jump.", references: ['A dog catches a frisbee in the park.', 'The dog jumps to catch a frisbee.'], concepts: ['dog', 'catch', 'frisbee', 'jump'] },
  { prediction: 'Mr. Smith paid $1,000.50 for 3.5 acres of land (near the U.S. border).', references: ['A man pays for the land near the border.', 'Mr. Smith bought 3 acres of land.'], concepts: ['pay', 'land', 'border'] },
  { prediction: '"Wow!" she said, running to the well-known café... What a day!', references: ['She runs to the cafe and says wow.', 'A woman is running to a famous cafe.'], concepts: ['run', 'cafe', 'say'] },
  { prediction: 'Children were playing football while the geese ran across the field.', references: ['Kids play football on the field.', 'Geese run across a football field where children play.'], concepts: ['child', 'play', 'football', 'goose', 'run', 'field'] },
  { prediction: "I'm sure they're gonna win the 5-year-old's race, aren't they?", references: ['They will win the race.', "The five year old's race is won by them."], concepts: ['win', 'race'] },
  { prediction: 'A man cannot ride his bike on the street. He walks it instead.', references: ['A man rides a bike down the street.', 'The man walks his bicycle on the street.'], concepts: ['man', 'ride', 'bike', 'street'] },
  { prediction: 'THE CHEF COOKS PASTA IN A HUGE POT', references: ['A chef is cooking pasta in a pot.', 'The chef cooks the pasta.'], concepts: ['chef', 'cook', 'pasta', 'pot'] },
  { prediction: 'Two boys swim and dive into the lake at 5 p.m. every day.', references: ['Boys are swimming in a lake.', 'The boys dive into the lake and swim.', 'Two kids dive in a lake.'], concepts: ['boy', 'swim', 'dive', 'lake'] },
  { prediction: 'The students listen to the teacher -- who is explaining math -- carefully.', references: ['A teacher explains math to students.', 'Students listen to their teacher.'], concepts: ['student', 'listen', 'teacher', 'explain'] },
  { prediction: 'a woman is sitting on the bench and reading a newspaper', references: ['A woman reads a newspaper while sitting on a bench.', 'The woman sat on the bench reading the paper.'], concepts: ['woman', 'sit', 'bench', 'read', 'newspaper'] },
  { prediction: 'Horses graze in the green pastures; farmers watch them.', references: ['Horses are grazing in the pasture.', 'The farmer watches his horses graze.'], concepts: ['horse', 'graze', 'pasture', 'farmer'] },
  { prediction: 'The band played music at the concert, and the crowd cheered loudly!', references: ['A band plays music for a cheering crowd.', 'The crowd cheers as the band plays at the concert.'], concepts: ['band', 'play', 'music', 'crowd', 'cheer'] },
];

const all = [...items, ...handWritten].map((item) => ({
  ...item,
  ptb: { prediction: cocoPtbTokenize(item.prediction).join(' '), references: item.references.map((ref) => cocoPtbTokenize(ref).join(' ')) },
}));
process.stdout.write(`${JSON.stringify({ punktAbbreviations: [...englishAbbreviations], items: all }, null, 1)}\n`);
