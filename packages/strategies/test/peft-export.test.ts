import { beforeAll, describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSafetensors } from '@tunekit/model-loader';
import { applyStrategy, PEFT_CONFIG_FILE, PEFT_WEIGHTS_FILE, type AppliedLora } from '../src/index.ts';
import { tempDir } from './helpers/temp.ts';
import { perturb, tinyModel, useCpu } from './helpers/tiny-model.ts';

beforeAll(() => useCpu());

async function exported(config: Record<string, unknown>, head: 'token-classification' | 'sequence-classification' = 'token-classification') {
  const model = tinyModel(head);
  const { applied } = applyStrategy(model, 'lora', config, { seed: 5 });
  const dir = await tempDir();
  await applied.exportFiles!(dir, { baseModelNameOrPath: 'builtin:biomed-bert-mini' });
  const adapterConfig = JSON.parse(await readFile(join(dir, PEFT_CONFIG_FILE), 'utf8'));
  const file = await readSafetensors(join(dir, PEFT_WEIGHTS_FILE));
  return { model, lora: applied as AppliedLora, dir, adapterConfig, file };
}

describe('PEFT export (adapter_config.json + adapter_model.safetensors)', () => {
  test('adapter_config.json has the PEFT LoraConfig fields with our values', async () => {
    const { model, adapterConfig } = await exported({ r: 4, alpha: 8, dropout: 0.1 });
    expect(adapterConfig).toMatchObject({
      peft_type: 'LORA',
      task_type: 'TOKEN_CLS',
      r: 4,
      lora_alpha: 8,
      lora_dropout: 0.1,
      target_modules: ['query', 'value'],
      bias: 'none',
      modules_to_save: ['classifier'],
      base_model_name_or_path: 'builtin:biomed-bert-mini',
      use_rslora: false,
      fan_in_fan_out: false,
      inference_mode: true,
    });
    model.dispose();
  });

  test('sequence classification is task_type SEQ_CLS; a regex target_modules is kept as the string', async () => {
    const { model, adapterConfig } = await exported({ target_modules: '.*\\.(query|key)' }, 'sequence-classification');
    expect(adapterConfig.task_type).toBe('SEQ_CLS');
    expect(adapterConfig.target_modules).toBe('.*\\.(query|key)');
    model.dispose();
  });

  test('weights use PEFT key names: base_model.model.<module>.lora_A/B.weight, the head as base_model.model.classifier.*', async () => {
    const { model, file } = await exported({ r: 2, target_modules: ['query'] });
    expect(file.tensors.map((t) => t.name).sort()).toEqual([
      'base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight',
      'base_model.model.bert.encoder.layer.0.attention.self.query.lora_B.weight',
      'base_model.model.bert.encoder.layer.1.attention.self.query.lora_A.weight',
      'base_model.model.bert.encoder.layer.1.attention.self.query.lora_B.weight',
      'base_model.model.bert.encoder.layer.2.attention.self.query.lora_A.weight',
      'base_model.model.bert.encoder.layer.2.attention.self.query.lora_B.weight',
      'base_model.model.classifier.bias',
      'base_model.model.classifier.weight',
    ]);
    expect(file.metadata).toEqual({ format: 'pt' });
    const a = file.tensors.find((t) => t.name.endsWith('layer.0.attention.self.query.lora_A.weight'))!;
    expect(a).toMatchObject({ dtype: 'F32', shape: [2, 16] });
    model.dispose();
  });

  test('the saved values are the live LoRA values', async () => {
    const model = tinyModel();
    const { applied } = applyStrategy(model, 'lora', { r: 2 }, { seed: 5 });
    perturb(model, applied.addedParams);
    const dir = await tempDir();
    await applied.exportFiles!(dir, { baseModelNameOrPath: 'base' });
    const file = await readSafetensors(join(dir, PEFT_WEIGHTS_FILE));
    const b = file.tensors.find((t) => t.name === 'base_model.model.bert.encoder.layer.2.attention.self.value.lora_B.weight')!;
    expect(Array.from(new Float32Array(b.bytes.slice().buffer))).toEqual(Array.from(model.params.get('bert.encoder.layer.2.attention.self.value.lora_B.weight')!.dataSync()));
    model.dispose();
  });

  test('bias: all saves every bias under its PEFT name', async () => {
    const { model, file } = await exported({ bias: 'all' });
    expect(file.tensors.some((t) => t.name === 'base_model.model.bert.encoder.layer.1.output.dense.bias')).toBe(true);
    expect(file.tensors.some((t) => t.name === 'base_model.model.bert.encoder.layer.1.output.dense.weight')).toBe(false);
    model.dispose();
  });
});
