/**
 * Solves `A x = b` for a symmetric positive-definite `A` (row-major, n×n) by Cholesky
 * decomposition. The normal equations of ridge and the Newton steps of L2 logistic regression
 * are SPD because of the penalty, so no pivoting is needed; a tiny jitter guards round-off.
 */
export function solveSpd(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j] as number;
      for (let k = 0; k < j; k++) sum -= (l[i * n + k] as number) * (l[j * n + k] as number);
      if (i === j) l[i * n + i] = Math.sqrt(Math.max(sum, 1e-12));
      else l[i * n + j] = sum / (l[j * n + j] as number);
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i] as number;
    for (let k = 0; k < i; k++) sum -= (l[i * n + k] as number) * (y[k] as number);
    y[i] = sum / (l[i * n + i] as number);
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i] as number;
    for (let k = i + 1; k < n; k++) sum -= (l[k * n + i] as number) * (x[k] as number);
    x[i] = sum / (l[i * n + i] as number);
  }
  return x;
}

/** Per-column mean and standard deviation, so coefficients are comparable across features. */
export interface Scaler {
  mean: number[];
  std: number[];
}

export function fitScaler(rows: number[][], width: number): Scaler {
  const mean = new Array<number>(width).fill(0);
  const std = new Array<number>(width).fill(0);
  for (const row of rows) {
    for (let j = 0; j < width; j++) mean[j] = (mean[j] as number) + (row[j] as number);
  }
  for (let j = 0; j < width; j++) mean[j] = (mean[j] as number) / Math.max(1, rows.length);
  for (const row of rows) {
    for (let j = 0; j < width; j++)
      std[j] = (std[j] as number) + ((row[j] as number) - (mean[j] as number)) ** 2;
  }
  for (let j = 0; j < width; j++) {
    const s = Math.sqrt((std[j] as number) / Math.max(1, rows.length));
    // A constant column carries no signal; dividing by 1 keeps it at zero instead of NaN.
    std[j] = s > 1e-9 ? s : 1;
  }
  return { mean, std };
}

/** The standardized design row with a leading 1 for the intercept. */
export function designRow(row: number[], scaler: Scaler): Float64Array {
  const out = new Float64Array(row.length + 1);
  out[0] = 1;
  for (let j = 0; j < row.length; j++) {
    out[j + 1] = ((row[j] as number) - (scaler.mean[j] as number)) / (scaler.std[j] as number);
  }
  return out;
}
