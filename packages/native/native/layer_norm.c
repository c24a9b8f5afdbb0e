/*
 * LayerNorm over the last axis and its backward, one pass per row in float64: the same operations in
 * the same order as @tunekit/compute's JavaScript kernels (kernels/layer-norm/math.ts), so results are
 * bit-identical to them (compiled with -ffp-contract=off: no fused multiply-adds).
 */
#include <math.h>
#include <string.h>
#include <stdlib.h>
#include "args.h"
#include "kernels.h"

/* layerNormForward(data, x, gamma, beta, y, mean, rstd, rows, n, eps) — offsets in elements. */
static napi_value forward(napi_env env, napi_callback_info cb) {
  const char *fn = "layerNormForward";
  napi_value argv[10];
  float *d;
  int64_t len, o[6], rows, n;
  double eps;
  if (!get_args(env, cb, 10, argv, fn) || !get_f32(env, argv[0], fn, &d, &len)) return NULL;
  for (int i = 0; i < 6; i++) if (!get_i64(env, argv[i + 1], fn, &o[i])) return NULL;
  if (!get_i64(env, argv[7], fn, &rows) || !get_i64(env, argv[8], fn, &n) || !get_f64(env, argv[9], fn, &eps)) return NULL;
  if (rows < 0 || n < 1 || rows > (int64_t)1 << 40 || n > (int64_t)1 << 30) { napi_throw_range_error(env, NULL, "layerNormForward: bad rows or n"); return NULL; }
  if (!check_range(env, fn, "x", o[0], rows * n, len) || !check_range(env, fn, "gamma", o[1], n, len) ||
      !check_range(env, fn, "beta", o[2], n, len) || !check_range(env, fn, "y", o[3], rows * n, len) ||
      !check_range(env, fn, "mean", o[4], rows, len) || !check_range(env, fn, "rstd", o[5], rows, len)) return NULL;
  const float *x = d + o[0], *gamma = d + o[1], *beta = d + o[2];
  float *y = d + o[3], *mean = d + o[4], *rstd = d + o[5];
  for (int64_t r = 0; r < rows; r++) {
    const float *xr = x + r * n;
    float *yr = y + r * n;
    double s = 0;
    for (int64_t j = 0; j < n; j++) s += xr[j];
    double mu = s / (double)n;
    double v = 0;
    for (int64_t j = 0; j < n; j++) {
      double dd = xr[j] - mu;
      v += dd * dd;
    }
    double inv = 1 / sqrt(v / (double)n + eps);
    for (int64_t j = 0; j < n; j++) yr[j] = (float)((xr[j] - mu) * inv * gamma[j] + beta[j]);
    mean[r] = (float)mu;
    rstd[r] = (float)inv;
  }
  return NULL;
}

/* layerNormBackward(data, dy, x, gamma, mean, rstd, dx, dGamma, dBeta, rows, n) */
static napi_value backward(napi_env env, napi_callback_info cb) {
  const char *fn = "layerNormBackward";
  napi_value argv[11];
  float *d;
  int64_t len, o[8], rows, n;
  if (!get_args(env, cb, 11, argv, fn) || !get_f32(env, argv[0], fn, &d, &len)) return NULL;
  for (int i = 0; i < 8; i++) if (!get_i64(env, argv[i + 1], fn, &o[i])) return NULL;
  if (!get_i64(env, argv[9], fn, &rows) || !get_i64(env, argv[10], fn, &n)) return NULL;
  if (rows < 0 || n < 1 || rows > (int64_t)1 << 40 || n > (int64_t)1 << 30) { napi_throw_range_error(env, NULL, "layerNormBackward: bad rows or n"); return NULL; }
  if (!check_range(env, fn, "dy", o[0], rows * n, len) || !check_range(env, fn, "x", o[1], rows * n, len) ||
      !check_range(env, fn, "gamma", o[2], n, len) || !check_range(env, fn, "mean", o[3], rows, len) ||
      !check_range(env, fn, "rstd", o[4], rows, len) || !check_range(env, fn, "dx", o[5], rows * n, len) ||
      !check_range(env, fn, "dGamma", o[6], n, len) || !check_range(env, fn, "dBeta", o[7], n, len)) return NULL;
  const float *dy = d + o[0], *x = d + o[1], *gamma = d + o[2], *mean = d + o[3], *rstd = d + o[4];
  float *dx = d + o[5], *dGamma = d + o[6], *dBeta = d + o[7];
  double *acc = calloc((size_t)(2 * n), sizeof(double));
  if (!acc) { napi_throw_error(env, NULL, "layerNormBackward: out of memory"); return NULL; }
  double *dg = acc, *db = acc + n;
  for (int64_t r = 0; r < rows; r++) {
    const float *dyr = dy + r * n, *xr = x + r * n;
    float *dxr = dx + r * n;
    double mu = mean[r], inv = rstd[r], sumG = 0, sumGX = 0;
    for (int64_t j = 0; j < n; j++) {
      double xhat = (xr[j] - mu) * inv;
      double g = (double)dyr[j] * gamma[j];
      sumG += g;
      sumGX += g * xhat;
      dg[j] += dyr[j] * xhat;
      db[j] += dyr[j];
    }
    double mG = sumG / (double)n, mGX = sumGX / (double)n;
    for (int64_t j = 0; j < n; j++) {
      double xhat = (xr[j] - mu) * inv;
      dxr[j] = (float)(inv * ((double)dyr[j] * gamma[j] - mG - xhat * mGX));
    }
  }
  for (int64_t j = 0; j < n; j++) {
    dGamma[j] = (float)dg[j];
    dBeta[j] = (float)db[j];
  }
  free(acc);
  return NULL;
}

bool register_layer_norm(napi_env env, napi_value exports) {
  return export_function(env, exports, "layerNormForward", forward) && export_function(env, exports, "layerNormBackward", backward);
}
