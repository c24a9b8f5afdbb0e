import type { StageDefinition } from '@tunekit/pipeline';

/** A stage that does nothing but exist: what is left is the engine's per-stage cost. */
const noop: StageDefinition = {
  id: 'bench/noop',
  version: '1',
  description: 'no-op',
  params: { type: 'object', properties: { i: { type: 'integer' } } },
  inputs: { prev: { kind: 'any', optional: true } },
  outputs: { out: { kind: 'any' } },
  async run() {},
};
export default noop;
