/** Child process for the kill -9 test: logs metrics, params and tags to a file store until killed. */
import { FileStoreClient } from '../../src/file-store/file-store.ts';

const root = process.argv[2]!;
const client = new FileStoreClient(root);
const run = await client.createRun({ experimentId: '0', runName: 'killed', startTime: Date.now() });
process.stdout.write(`${run.runId}\n`);
for (let step = 0; ; step++) {
  await client.logBatch(run.runId, {
    metrics: [
      { key: 'loss', value: 1 / (step + 1), timestamp: Date.now(), step },
      { key: 'eval/f1', value: step / (step + 7), timestamp: Date.now(), step },
      { key: 'long_metric_name_to_make_lines_cross_page_boundaries_more_often_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', value: Math.PI * step, timestamp: Date.now(), step },
    ],
    params: [{ key: `p${step}`, value: `value-${step}`.repeat(20) }],
    tags: [{ key: 'progress', value: `step ${step} `.repeat(50) }],
  });
  await client.updateRun(run.runId, { status: 'RUNNING', runName: `killed-${step}` });
}
