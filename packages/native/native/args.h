/* Argument parsing for the kernels: a Float32Array (the wasm heap) plus element offsets, checked. */
#ifndef TUNEKIT_ARGS_H
#define TUNEKIT_ARGS_H
#include <stdbool.h>
#include <stdint.h>
#include <node_api.h>

/* Reads argv[0] as a Float32Array; false (with a JS exception pending) otherwise. */
bool get_f32(napi_env env, napi_value value, const char *fn, float **data, int64_t *length);
/* Reads argv[i] as an integer / double / boolean; false (with a JS TypeError pending) otherwise. */
bool get_i64(napi_env env, napi_value value, const char *fn, int64_t *out);
bool get_f64(napi_env env, napi_value value, const char *fn, double *out);
bool get_bool(napi_env env, napi_value value, const char *fn, bool *out);
/* argc must equal `expected`; false (with a TypeError pending) otherwise. */
bool get_args(napi_env env, napi_callback_info cb, size_t expected, napi_value *argv, const char *fn);
/* [offset, offset + count) inside [0, length) with no negative values; a RangeError pending when not. */
bool check_range(napi_env env, const char *fn, const char *operand, int64_t offset, int64_t count, int64_t length);
/* exports[name] = fn; false when Node-API fails. */
bool export_function(napi_env env, napi_value exports, const char *name, napi_callback fn);
#endif
