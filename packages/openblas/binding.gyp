{
  "targets": [
    {
      "target_name": "tunekit_openblas",
      "sources": ["native/gemm.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "libraries": ["-ldl"]
    }
  ]
}
