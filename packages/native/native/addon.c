/*
 * @tunekit/native: native CPU kernels for tfjs-backend-wasm tensors. Every function takes the wasm
 * heap as a Float32Array plus element offsets, checks every range against it, and computes in place
 * of the heap (no copies). gemm.c needs libopenblas.so.0 at run time (dlopen); the others need nothing.
 */
#include "kernels.h"

NAPI_MODULE_INIT() {
  if (!register_gemm(env, exports) || !register_layer_norm(env, exports) || !register_gelu(env, exports) ||
      !register_dropout(env, exports) || !register_skipgram(env, exports)) {
    return NULL;
  }
  return exports;
}
