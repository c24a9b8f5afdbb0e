#include "args.h"
#include <stdio.h>

static bool fail_type(napi_env env, const char *fn, const char *what) {
  char message[160];
  snprintf(message, sizeof message, "%s: %s", fn, what);
  napi_throw_type_error(env, NULL, message);
  return false;
}

bool get_args(napi_env env, napi_callback_info cb, size_t expected, napi_value *argv, const char *fn) {
  size_t argc = expected;
  if (napi_get_cb_info(env, cb, &argc, argv, NULL, NULL) != napi_ok) return fail_type(env, fn, "cannot read arguments");
  if (argc != expected) {
    char message[96];
    snprintf(message, sizeof message, "expects %zu arguments", expected);
    return fail_type(env, fn, message);
  }
  return true;
}

bool get_f32(napi_env env, napi_value value, const char *fn, float **data, int64_t *length) {
  bool is_typed = false;
  napi_typedarray_type type;
  size_t count;
  void *pointer;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed ||
      napi_get_typedarray_info(env, value, &type, &count, &pointer, NULL, NULL) != napi_ok || type != napi_float32_array) {
    return fail_type(env, fn, "data must be a Float32Array");
  }
  *data = (float *)pointer;
  *length = (int64_t)count;
  return true;
}

bool get_i64(napi_env env, napi_value value, const char *fn, int64_t *out) {
  return napi_get_value_int64(env, value, out) == napi_ok || fail_type(env, fn, "sizes, offsets and strides must be numbers");
}

bool get_f64(napi_env env, napi_value value, const char *fn, double *out) {
  return napi_get_value_double(env, value, out) == napi_ok || fail_type(env, fn, "expected a number");
}

bool get_bool(napi_env env, napi_value value, const char *fn, bool *out) {
  return napi_get_value_bool(env, value, out) == napi_ok || fail_type(env, fn, "transA and transB must be booleans");
}

bool check_range(napi_env env, const char *fn, const char *operand, int64_t offset, int64_t count, int64_t length) {
  if (offset >= 0 && count >= 0 && count <= length && offset <= length - count) return true;
  char message[160];
  snprintf(message, sizeof message, "%s: %s lies outside the array", fn, operand);
  napi_throw_range_error(env, NULL, message);
  return false;
}

bool export_function(napi_env env, napi_value exports, const char *name, napi_callback fn) {
  napi_value value;
  return napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, NULL, &value) == napi_ok &&
         napi_set_named_property(env, exports, name, value) == napi_ok;
}
