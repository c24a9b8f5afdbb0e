/**
 * Baselines for the held-out MLM loss of builtin:biomed-bert-mini (see models/biomed-bert-mini/README.md):
 * - uniform: ln(vocab size), a guess that knows nothing;
 * - unigram: cross-entropy of the held-out tokens under the training split's token frequencies
 *   (add-one smoothed), i.e. the best loss a model can reach without looking at the context.
 * Tokens are what training/pretrain-mlm predicts: the corpus split tokenized with the model's own
 * tokenizer, documents joined by [SEP], first `--max-blocks` blocks of `--block-size` (the same
 * blocks as the stage's held-out evaluation); [CLS]/[SEP]/[PAD] excluded (never selected for masking).
 *
 *   node --import tsx bench/model-probes/unigram-baseline.ts --corpus <corpus artifact dir> --model models/biomed-bert-mini
 */
import { parseArgs } from 'node:util';
import { loadTokenizer, readCorpusArtifact } from '@tunekit/data-prep';
import { corpusBlocks } from '../../packages/training/src/mlm/blocks.ts';

const { values } = parseArgs({ options: { corpus: { type: 'string' }, model: { type: 'string' }, 'block-size': { type: 'string', default: '128' }, 'max-blocks': { type: 'string', default: '256' } } });
if (!values.corpus || !values.model) throw new Error('usage: --corpus <corpus artifact dir> --model <model or tokenizer dir> [--block-size 128] [--max-blocks 256]');
const blockSize = Number(values['block-size']);
const loaded = await loadTokenizer(values.model);
const { splits } = await readCorpusArtifact(values.corpus);
const train = await corpusBlocks(splits.train!, loaded, blockSize);
const heldOut = await corpusBlocks(splits.validation!, loaded, blockSize, Number(values['max-blocks']));
const special = new Set([loaded.clsId, loaded.sepId, loaded.padId]);
const vocab = loaded.vocabSize;
const counts = new Float64Array(vocab).fill(1);
let total = vocab;
for (let i = 0; i < train.inputIds.length; i++) {
  const id = train.inputIds[i]!;
  if (train.attentionMask[i] && !special.has(id)) { counts[id]! += 1; total += 1; }
}
let nll = 0;
let n = 0;
for (let i = 0; i < heldOut.inputIds.length; i++) {
  const id = heldOut.inputIds[i]!;
  if (heldOut.attentionMask[i] && !special.has(id)) { nll -= Math.log(counts[id]! / total); n += 1; }
}
console.log(JSON.stringify({ vocab, train_tokens: total - vocab, held_out_blocks: heldOut.numRows, held_out_tokens: n, uniform_loss: Math.log(vocab), unigram_loss: nll / n }));
