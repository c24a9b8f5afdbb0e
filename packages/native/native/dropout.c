/*
 * The dropout mask of @tunekit/compute (ops/dropout.ts) written straight into its output: element i
 * is 1/keep when lowbias32(base + i·0x9e3779b9) < keep·2³², else 0. Integer hashing and the same
 * double-precision threshold and scale: bit-identical to the JavaScript version.
 */
#include <math.h>
#include <stdint.h>
#include "args.h"
#include "kernels.h"

static uint32_t hash32(uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

/* dropoutMask(data, out, count, rate, seed) */
static napi_value dropout_mask(napi_env env, napi_callback_info cb) {
  const char *fn = "dropoutMask";
  napi_value argv[5];
  float *d;
  int64_t len, oo, count, seed;
  double rate;
  if (!get_args(env, cb, 5, argv, fn) || !get_f32(env, argv[0], fn, &d, &len) || !get_i64(env, argv[1], fn, &oo) ||
      !get_i64(env, argv[2], fn, &count) || !get_f64(env, argv[3], fn, &rate) || !get_i64(env, argv[4], fn, &seed)) return NULL;
  if (!(rate >= 0 && rate < 1)) { napi_throw_range_error(env, NULL, "dropoutMask: rate must be in [0, 1)"); return NULL; }
  if (seed < 0 || seed > 0xffffffffLL) { napi_throw_range_error(env, NULL, "dropoutMask: seed must be a 32-bit unsigned integer"); return NULL; }
  if (count > 0x7fffffffLL) { napi_throw_range_error(env, NULL, "dropoutMask: count must be < 2^31"); return NULL; }
  if (!check_range(env, fn, "out", oo, count, len)) return NULL;
  double keep = 1 - rate;
  float scale = (float)(1 / keep);
  double threshold = floor(keep * 4294967296.0);
  uint32_t base = hash32((uint32_t)seed ^ 0x5bd1e995U);
  float *out = d + oo;
  for (int64_t i = 0; i < count; i++) out[i] = (double)hash32(base + (uint32_t)i * 0x9e3779b9U) < threshold ? scale : 0.0f;
  return NULL;
}

bool register_dropout(napi_env env, napi_value exports) {
  return export_function(env, exports, "dropoutMask", dropout_mask);
}
