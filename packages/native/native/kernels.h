/* Each file registers its functions on the addon's exports. */
#ifndef TUNEKIT_KERNELS_H
#define TUNEKIT_KERNELS_H
#include <stdbool.h>
#include <node_api.h>

bool register_gemm(napi_env env, napi_value exports);        /* gemm.c: OpenBLAS sgemm */
bool register_layer_norm(napi_env env, napi_value exports);  /* layer_norm.c */
bool register_gelu(napi_env env, napi_value exports);        /* gelu.c */
bool register_dropout(napi_env env, napi_value exports);     /* dropout.c */
bool register_skipgram(napi_env env, napi_value exports);    /* skipgram.c: word2vec skip-gram */
#endif
