/** One metric file line, as MLflow's FileStore writes it: `<timestamp_ms> <value> <step>`. */
import type { Metric } from '../client/types.ts';
import { formatPythonFloat, parsePythonFloat } from '../client/python-float.ts';

export function formatMetricLine(metric: Metric): string {
  return `${metric.timestamp} ${formatPythonFloat(metric.value)} ${metric.step}`;
}

/** Accepts MLflow's 2-field legacy lines (step 0); anything else is an error naming file:line. */
export function parseMetricLine(key: string, line: string, where: string): Metric {
  const parts = line.trim().split(' ');
  const timestamp = Number(parts[0]);
  const value = parts[1] === undefined ? NaN : parsePythonFloat(parts[1]);
  const step = parts.length === 3 ? Number(parts[2]) : 0;
  const numeric = parts[1] !== undefined && (!Number.isNaN(value) || /^-?nan$/i.test(parts[1]));
  if ((parts.length !== 2 && parts.length !== 3) || !Number.isInteger(timestamp) || !numeric || !Number.isInteger(step)) {
    throw new Error(`${where}: malformed metric line '${line}', expected '<timestamp_ms> <value> <step>'`);
  }
  return { key, value, timestamp, step };
}

/** MLflow's "latest" value: the maximum of (step, timestamp, value). */
export function latestMetric(history: Metric[]): Metric | undefined {
  let best: Metric | undefined;
  for (const m of history) {
    if (
      !best ||
      m.step > best.step ||
      (m.step === best.step && (m.timestamp > best.timestamp || (m.timestamp === best.timestamp && m.value > best.value)))
    ) {
      best = m;
    }
  }
  return best;
}
