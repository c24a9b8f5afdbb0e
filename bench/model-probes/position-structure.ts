/**
 * Does a model's learned position table order positions? Mean cosine between the vectors of
 * positions 1, 5 and 20 apart (a trained BERT: neighbours far more alike than distant positions;
 * a normal-init table: all ~0). Used for the pilots of issue 17 and the model card of
 * models/biomed-bert-small.
 *
 *   node --import tsx bench/model-probes/position-structure.ts <model folder> [<model folder> ...]
 */
import { activateBackend, loadModel } from '@tunekit/model-loader';

const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0) / (norm(a) * norm(b));
const meanCosine = (table: number[][], offset: number) =>
  table.slice(0, table.length - offset).reduce((sum, row, i) => sum + cosine(row, table[i + offset]!), 0) / (table.length - offset);

await activateBackend('cpu');
const folders = process.argv.slice(2);
if (folders.length === 0) throw new Error('usage: bench/model-probes/position-structure.ts <model folder> [...]');
for (const folder of folders) {
  const model = await loadModel(folder, { strict: false });
  const table = (await model.params.get('bert.embeddings.position_embeddings.weight')!.array()) as number[][];
  const result = Object.fromEntries([1, 5, 20].map((offset) => [`cos_${offset}`, Number(meanCosine(table, offset).toFixed(3))]));
  console.log(JSON.stringify({ folder, positions: table.length, ...result }));
  model.dispose();
}
