/**
 * JSON Schema of a pipeline file. The same schema validates the YAML and documents the format
 * (see packages/pipeline/README.md). Stage names are plain identifiers so that matrix cell ids
 * (`train[strategy=lora]`) and input references (`train.model`) stay unambiguous.
 */
export const STAGE_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_-]*$';
export const OUTPUT_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_-]*$';
/** `stage.output`, `stage[*].output` (all matrix cells), `stage[key=value,...].output` (one cell). */
export const INPUT_REFERENCE_PATTERN = '^[A-Za-z_][A-Za-z0-9_-]*(\\[[^\\]]+\\])?\\.[A-Za-z_][A-Za-z0-9_-]*$';

const scalar = { type: ['string', 'number', 'boolean'] };

export const stageSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['uses'],
  properties: {
    uses: { type: 'string', minLength: 1, description: 'plugin stage id, local module path, or `command`' },
    description: { type: 'string' },
    with: { type: 'object', description: "the plugin's params" },
    inputs: {
      type: 'object',
      propertyNames: { pattern: OUTPUT_NAME_PATTERN },
      additionalProperties: { type: 'string', pattern: INPUT_REFERENCE_PATTERN },
    },
    matrix: {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: OUTPUT_NAME_PATTERN },
      additionalProperties: { type: 'array', minItems: 1, items: scalar },
    },
    cache: { type: 'boolean' },
    seed: { type: 'integer' },
    run: { type: 'array', minItems: 1, items: { type: ['string', 'number'] } },
    outputs: { type: 'array', items: { type: 'string', pattern: OUTPUT_NAME_PATTERN }, uniqueItems: true },
  },
} as const;

export const pipelineSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['stages'],
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' },
    description: { type: 'string' },
    experiment: { type: 'string', minLength: 1 },
    seed: { type: 'integer' },
    params: { type: 'object' },
    tracking: {
      type: 'object',
      additionalProperties: false,
      properties: { uri: { type: 'string', minLength: 1 } },
    },
    store: { type: 'string', minLength: 1 },
    executor: { type: 'string', minLength: 1 },
    stages: {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: STAGE_NAME_PATTERN },
      additionalProperties: stageSchema,
    },
  },
} as const;
