/*
 * OpenBLAS's cblas_sgemm for float32 data that lives in a JavaScript typed array
 * (tfjs-backend-wasm's heap): C[g] = op(A[g]) · op(B[g]) for g < batch, row-major, offsets in elements.
 *
 * OpenBLAS is opened with dlopen at load time (no link-time dependency: the addon builds with only a
 * C compiler and Node's headers, and reports "unavailable" where libopenblas.so.0 is missing).
 * Every operand range is checked against the array before OpenBLAS touches it.
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <node_api.h>
#include "args.h"
#include "kernels.h"

enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };

typedef void (*sgemm_fn)(int order, int transA, int transB, int m, int n, int k, float alpha,
                         const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc);
typedef void (*set_threads_fn)(int);
typedef int (*get_threads_fn)(void);
typedef char *(*get_string_fn)(void);

static sgemm_fn sgemm;
static set_threads_fn set_threads;
static get_threads_fn get_threads;
static get_string_fn get_config;
static get_string_fn get_corename;
static char load_error[512];

/*
 * OpenBLAS 0.3.21 (Debian 12) does not recognise recent Xeons and falls back to its generic
 * "Prescott" SSE3 kernels (~18 GFLOP/s here instead of ~88). Unless the user chose a core type,
 * pick the newest kernel family the CPU's instruction sets support.
 */
static void choose_core_type(void) {
  if (getenv("OPENBLAS_CORETYPE")) return;
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq")) {
    setenv("OPENBLAS_CORETYPE", "SkylakeX", 0);
  } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    setenv("OPENBLAS_CORETYPE", "Haswell", 0);
  }
}

static void load_openblas(void) {
  static int tried = 0;
  if (tried) return;
  tried = 1;
#if defined(__x86_64__) || defined(__i386__)
  choose_core_type();
#endif
  /* One computing thread unless the user set OPENBLAS_NUM_THREADS: callers parallelise across workers. */
  int default_threads = getenv("OPENBLAS_NUM_THREADS") == NULL && getenv("OMP_NUM_THREADS") == NULL;
  const char *names[] = {"libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"};
  void *lib = NULL;
  for (size_t i = 0; i < sizeof names / sizeof *names && !lib; i++) lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    snprintf(load_error, sizeof load_error, "cannot open libopenblas.so.0: %s", dlerror());
    return;
  }
  sgemm = (sgemm_fn)dlsym(lib, "cblas_sgemm");
  set_threads = (set_threads_fn)dlsym(lib, "openblas_set_num_threads");
  get_threads = (get_threads_fn)dlsym(lib, "openblas_get_num_threads");
  get_config = (get_string_fn)dlsym(lib, "openblas_get_config");
  get_corename = (get_string_fn)dlsym(lib, "openblas_get_corename");
  if (!sgemm || !set_threads || !get_threads || !get_config || !get_corename) {
    sgemm = NULL;
    snprintf(load_error, sizeof load_error, "libopenblas.so.0 lacks cblas_sgemm or openblas_* symbols");
    return;
  }
  if (default_threads) set_threads(1);
}

#define CHECK(call)                                                                      \
  do {                                                                                   \
    if ((call) != napi_ok) {                                                             \
      napi_throw_error(env, NULL, "tunekit-openblas: Node-API call failed: " #call);     \
      return NULL;                                                                       \
    }                                                                                    \
  } while (0)

static napi_value make_string(napi_env env, const char *s) {
  napi_value v;
  napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v);
  return v;
}

/* info() → { available, error?, config?, corename?, threads? } */
static napi_value info(napi_env env, napi_callback_info cb) {
  (void)cb;
  napi_value out, v;
  CHECK(napi_create_object(env, &out));
  CHECK(napi_get_boolean(env, sgemm != NULL, &v));
  CHECK(napi_set_named_property(env, out, "available", v));
  if (!sgemm) {
    CHECK(napi_set_named_property(env, out, "error", make_string(env, load_error)));
    return out;
  }
  CHECK(napi_set_named_property(env, out, "config", make_string(env, get_config())));
  CHECK(napi_set_named_property(env, out, "corename", make_string(env, get_corename())));
  CHECK(napi_create_int32(env, get_threads(), &v));
  CHECK(napi_set_named_property(env, out, "threads", v));
  return out;
}

/* setThreads(n) */
static napi_value set_num_threads(napi_env env, napi_callback_info cb) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t n;
  CHECK(napi_get_cb_info(env, cb, &argc, argv, NULL, NULL));
  if (!sgemm) { napi_throw_error(env, NULL, load_error); return NULL; }
  if (argc < 1 || napi_get_value_int32(env, argv[0], &n) != napi_ok || n < 1 || n > 256) {
    napi_throw_range_error(env, NULL, "setThreads(n): n must be an integer in [1, 256]");
    return NULL;
  }
  set_threads(n);
  return NULL;
}

/* Largest element index touched + 1 by `batch` row-major [rows, cols] matrices `stride` apart. */
static int in_bounds(int64_t offset, int64_t stride, int64_t batch, int64_t rows, int64_t cols, int64_t length) {
  if (offset < 0 || stride < 0 || rows < 0 || cols < 0) return 0;
  if (rows == 0 || cols == 0 || batch == 0) return offset <= length;
  return offset + (batch - 1) * stride + rows * cols <= length;
}

/*
 * sgemm(data: Float32Array, batch, m, n, k, transA, transB, aOffset, aStride, bOffset, bStride,
 *       cOffset, cStride): C[g] (m×n) = op(A[g]) (m×k) · op(B[g]) (k×n); A[g] is stored k×m when
 * transA, B[g] n×k when transB. Offsets and strides in elements of `data`; a stride of 0 broadcasts.
 */
static napi_value gemm(napi_env env, napi_callback_info cb) {
  napi_value argv[13];
  float *base;
  int64_t len, x[12];
  bool flags[2];
  if (!sgemm) { napi_throw_error(env, NULL, load_error); return NULL; }
  if (!get_args(env, cb, 13, argv, "sgemm") || !get_f32(env, argv[0], "sgemm", &base, &len)) return NULL;
  for (int i = 0; i < 12; i++) {
    if (i == 4 || i == 5) {
      if (!get_bool(env, argv[i + 1], "sgemm", &flags[i - 4])) return NULL;
      x[i] = flags[i - 4];
    } else if (!get_i64(env, argv[i + 1], "sgemm", &x[i])) {
      return NULL;
    }
  }
  int64_t batch = x[0], m = x[1], n = x[2], k = x[3];
  int64_t a_off = x[6], a_stride = x[7], b_off = x[8], b_stride = x[9], c_off = x[10], c_stride = x[11];
  const int64_t limit = 1 << 30;
  if (batch < 0 || m < 0 || n < 0 || k < 0 || m > limit || n > limit || k > limit) {
    napi_throw_range_error(env, NULL, "sgemm: batch, m, n, k must be non-negative 32-bit sizes");
    return NULL;
  }
  if (!in_bounds(a_off, a_stride, batch, m, k, len) || !in_bounds(b_off, b_stride, batch, k, n, len) ||
      !in_bounds(c_off, c_stride, batch, m, n, len) || (c_stride == 0 && batch > 1 && m * n > 0)) {
    napi_throw_range_error(env, NULL, "sgemm: an operand lies outside the array (or the output is broadcast)");
    return NULL;
  }
  int ta = flags[0] ? TRANS : NO_TRANS, tb = flags[1] ? TRANS : NO_TRANS;
  int lda = flags[0] ? (int)m : (int)k, ldb = flags[1] ? (int)k : (int)n;
  for (int64_t g = 0; g < batch; g++) {
    float *c = base + c_off + g * c_stride;
    if (k == 0) { memset(c, 0, sizeof(float) * (size_t)(m * n)); continue; }
    if (m == 0 || n == 0) continue;
    sgemm(ROW_MAJOR, ta, tb, (int)m, (int)n, (int)k, 1.0f, base + a_off + g * a_stride, lda < 1 ? 1 : lda,
          base + b_off + g * b_stride, ldb < 1 ? 1 : ldb, 0.0f, c, (int)n < 1 ? 1 : (int)n);
  }
  return NULL;
}

bool register_gemm(napi_env env, napi_value exports) {
  load_openblas();
  return export_function(env, exports, "openblasInfo", info) && export_function(env, exports, "setThreads", set_num_threads) &&
         export_function(env, exports, "sgemm", gemm);
}
