/**
 * Formats a double the way Python's `repr(float)` does, which is what MLflow's FileStore writes
 * into metric files (`f"{timestamp} {value} {step}"`): shortest round-trip digits, `1.0` for
 * integral values, scientific notation below 1e-4 and from 1e16 on (`1e-05`, `1.5e+16`),
 * `nan`, `inf`, `-inf`.
 */
export function formatPythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (Object.is(value, -0)) return '-0.0';
  const [mantissa, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const fixed = String(value);
  return fixed.includes('.') ? fixed : `${fixed}.0`;
}

/** Parses what Python's `float()` accepts for the values MLflow writes. */
export function parsePythonFloat(text: string): number {
  switch (text.toLowerCase()) {
    case 'nan':
    case '-nan':
      return NaN;
    case 'inf':
    case 'infinity':
    case '+inf':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
    default:
      return Number(text);
  }
}
