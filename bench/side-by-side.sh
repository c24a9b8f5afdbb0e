#!/usr/bin/env bash
# Training throughput side by side with the PyTorch reference (../shared/reference-bench), each
# preset/strategy back to back: PyTorch 2 threads, PyTorch 1 thread, TuneKit wasm 1 thread,
# TuneKit wasm 2 threads, TuneKit data-parallel over 2 workers (1 thread each), and the same
# data-parallel run without native code (TUNEKIT_NATIVE=0: matMuls on XNNPACK, element-wise kernels
# in wasm/JavaScript — the 'before' of @tunekit/native).
# Run it on an idle machine; one line per measurement goes to $OUT.
#   bash bench/side-by-side.sh [reference-bench dir]      (OUT=/tmp/side-by-side.txt by default)
# Needs Debian python3-torch + libopenblas0-openmp (see the reference bench's README).
set -uo pipefail
ref=${1:-$(dirname "$0")/../../shared/reference-bench}
root=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-/tmp/side-by-side.txt}; : > "$out"
blas=$(dirname "$(dpkg -L libopenblas0-openmp | grep -m1 'libopenblas.so.0$')")
torch() { (cd "$ref" && LD_LIBRARY_PATH="$blas" /usr/bin/python3 finetune_bench.py --one "$1:$2:16" --threads "$3" --steps "$4" --warmup 3 2>/dev/null | tail -1); }
tunekit() { (cd "$root" && TUNEKIT_NATIVE=${NATIVE:-} TUNEKIT_WASM_THREADS=$3 timeout 900 npm run -s bench:train -- --preset "$1" --strategy "$2" --steps "$4" --warmup 3 --workers "${5:-1}" 2>/dev/null | tail -1); }
for cfg in tiny:full tiny:lora mini:full mini:lora; do
  preset=${cfg%%:*}; strategy=${cfg##*:}; steps=20; [ "$preset" = mini ] && steps=10
  echo "== $cfg $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out"
  for t in 2 1; do echo "torch$t $(torch "$preset" "$strategy" $t $steps)" >> "$out"; done
  for t in 1 2; do echo "tunekit$t $(tunekit "$preset" "$strategy" $t $steps)" >> "$out"; done
  echo "tunekit-dp2 $(tunekit "$preset" "$strategy" 1 $steps 2)" >> "$out"
  echo "tunekit-dp2-no-native $(NATIVE=0 tunekit "$preset" "$strategy" 1 $steps 2)" >> "$out"
done
echo "end $(date -u +%T)" >> "$out"
