/** `full` has no options: every parameter trains. */
export interface FullConfig {}

export const fullConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {},
} as const;
