{
  "targets": [
    {
      "target_name": "tunekit_native",
      "sources": ["native/addon.c", "native/args.c", "native/gemm.c", "native/layer_norm.c", "native/gelu.c", "native/dropout.c", "native/skipgram.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-ffp-contract=off"],
      "libraries": ["-ldl", "-lm"]
    }
  ]
}
