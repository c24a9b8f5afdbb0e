/*
 * GELU, exact erf form (Hugging Face `gelu`): y = x·Φ(x), Φ(x) = (1 + erf(x/√2))/2, and its
 * derivative dy·(Φ(x) + x·φ(x)), φ(x) = exp(−x²/2)/√(2π) — one pass each instead of tfjs's five
 * kernels forward and ~10 in autograd's backward. float32 with the C library's erff/expf.
 */
#include <math.h>
#include "args.h"
#include "kernels.h"

/* gelu(data, x, y, count) */
static napi_value gelu(napi_env env, napi_callback_info cb) {
  const char *fn = "gelu";
  napi_value argv[4];
  float *d;
  int64_t len, xo, yo, count;
  if (!get_args(env, cb, 4, argv, fn) || !get_f32(env, argv[0], fn, &d, &len) || !get_i64(env, argv[1], fn, &xo) ||
      !get_i64(env, argv[2], fn, &yo) || !get_i64(env, argv[3], fn, &count)) return NULL;
  if (!check_range(env, fn, "x", xo, count, len) || !check_range(env, fn, "y", yo, count, len)) return NULL;
  const float *x = d + xo;
  float *y = d + yo;
  for (int64_t i = 0; i < count; i++) y[i] = 0.5f * x[i] * (1.0f + erff(x[i] * (float)M_SQRT1_2));
  return NULL;
}

/* geluGrad(data, dy, x, dx, count) */
static napi_value gelu_grad(napi_env env, napi_callback_info cb) {
  const char *fn = "geluGrad";
  napi_value argv[5];
  float *d;
  int64_t len, dyo, xo, dxo, count;
  if (!get_args(env, cb, 5, argv, fn) || !get_f32(env, argv[0], fn, &d, &len) || !get_i64(env, argv[1], fn, &dyo) ||
      !get_i64(env, argv[2], fn, &xo) || !get_i64(env, argv[3], fn, &dxo) || !get_i64(env, argv[4], fn, &count)) return NULL;
  if (!check_range(env, fn, "dy", dyo, count, len) || !check_range(env, fn, "x", xo, count, len) ||
      !check_range(env, fn, "dx", dxo, count, len)) return NULL;
  const float *dy = d + dyo, *x = d + xo;
  float *dx = d + dxo;
  const float inv_sqrt_2pi = 0.3989422804014327f;
  for (int64_t i = 0; i < count; i++) {
    float v = x[i];
    float cdf = 0.5f * (1.0f + erff(v * (float)M_SQRT1_2));
    float pdf = inv_sqrt_2pi * expf(-0.5f * v * v);
    dx[i] = dy[i] * (cdf + v * pdf);
  }
  return NULL;
}

bool register_gelu(napi_env env, napi_value exports) {
  return export_function(env, exports, "gelu", gelu) && export_function(env, exports, "geluGrad", gelu_grad);
}
