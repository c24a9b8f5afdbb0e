/** Training / validation loss per epoch (or step) and validation F1 per epoch, one line per strategy. */
import type { MetricsFile } from '../../metrics-file/schema.ts';
import { base, nameColors, type NameColors, type VegaLiteSpec } from './common.ts';

function xOf(point: { epoch?: number; step?: number }, useEpoch: boolean): number | undefined {
  return useEpoch ? point.epoch : point.step;
}

export function lossCurvesSpec(entries: readonly MetricsFile[], colors: NameColors = nameColors(entries.map((e) => e.name))): VegaLiteSpec | null {
  const withHistory = entries.filter((e) => e.history?.length);
  const useEpoch = withHistory.every((e) => e.history!.every((p) => p.epoch !== undefined));
  const rows = withHistory.flatMap((e) =>
    e.history!.flatMap((p) => {
      const x = xOf(p, useEpoch);
      if (x === undefined) return [];
      return [
        ...(p.train_loss !== undefined ? [{ name: e.name, x, split: 'training', loss: p.train_loss }] : []),
        ...(p.val_loss !== undefined ? [{ name: e.name, x, split: 'validation', loss: p.val_loss }] : []),
      ];
    }),
  );
  if (rows.length === 0) return null;
  return base('Training and validation loss', {
    data: { values: rows },
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: useEpoch ? 'epoch' : 'step', axis: { tickMinStep: 1 } },
      y: { field: 'loss', type: 'quantitative', title: 'loss', scale: { zero: false } },
      color: { field: 'name', type: 'nominal', title: 'strategy', scale: colors },
      strokeDash: { field: 'split', type: 'nominal', title: 'split', scale: { domain: ['training', 'validation'], range: [[1, 0], [5, 3]] } },
      tooltip: [{ field: 'name' }, { field: 'split' }, { field: 'x' }, { field: 'loss', format: '.4f' }],
    },
  });
}

export function f1PerEpochSpec(entries: readonly MetricsFile[], colors: NameColors = nameColors(entries.map((e) => e.name))): VegaLiteSpec | null {
  const withHistory = entries.filter((e) => e.history?.some((p) => p.val_f1 !== undefined));
  const useEpoch = withHistory.every((e) => e.history!.every((p) => p.val_f1 === undefined || p.epoch !== undefined));
  const rows = withHistory.flatMap((e) =>
    e.history!.flatMap((p) => {
      const x = xOf(p, useEpoch);
      return p.val_f1 !== undefined && x !== undefined ? [{ name: e.name, x, f1: p.val_f1 }] : [];
    }),
  );
  if (rows.length === 0) return null;
  return base('Validation F1 per ' + (useEpoch ? 'epoch' : 'evaluation step'), {
    data: { values: rows },
    mark: { type: 'line', point: { size: 50 }, strokeWidth: 2 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: useEpoch ? 'epoch' : 'step', axis: { tickMinStep: 1 } },
      y: { field: 'f1', type: 'quantitative', title: 'entity F1 (validation)', scale: { domain: [0, 1] } },
      color: { field: 'name', type: 'nominal', title: 'strategy', scale: colors },
      tooltip: [{ field: 'name' }, { field: 'x' }, { field: 'f1', format: '.4f' }],
    },
  });
}
