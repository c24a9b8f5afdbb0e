#!/bin/bash
# medical-ner locally and through the redis executor on two local workers, each into an empty store;
# then every stage's cache key and output digests compared (issue 19, acceptance 3).
#   bash bench/redis-medical-ner.sh [workdir]      (~20-25 min per run on 2 cores; needs redis-server)
set -euo pipefail
cd "$(dirname "$0")/.."
W=${1:-$(mktemp -d /tmp/redis-medical-ner.XXXXXX)}
PORT=${REDIS_PORT:-6391}
tunekit() { node packages/cli/bin/tunekit.js "$@"; }
mkdir -p "$W/local-store" "$W/redis-store"
echo "work dir $W"

start=$(date +%s)
tunekit run medical-ner --store "$W/local-store" > "$W/local.log" 2>&1
echo "local: $(( $(date +%s) - start )) s"

redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --logfile "$W/redis.log"
trap 'kill -TERM ${W1:-} ${W2:-} 2>/dev/null || true; redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || true' EXIT
tunekit worker --redis "redis://127.0.0.1:$PORT/0" --store "$W/redis-store" > "$W/worker1.log" 2>&1 & W1=$!
tunekit worker --redis "redis://127.0.0.1:$PORT/0" --store "$W/redis-store" > "$W/worker2.log" 2>&1 & W2=$!
start=$(date +%s)
tunekit run medical-ner --executor "redis://127.0.0.1:$PORT/0" --store "$W/redis-store" --jobs 2 > "$W/redis.log" 2>&1
echo "redis executor, 2 workers: $(( $(date +%s) - start )) s"

tunekit show latest --json --store "$W/local-store" > "$W/local-run.json"
tunekit show latest --json --store "$W/redis-store" > "$W/redis-run.json"
node -e '
const [local, remote] = process.argv.slice(1).map((f) => JSON.parse(require("fs").readFileSync(f, "utf8")).stages);
let outputs = 0, differ = 0;
for (const [id, stage] of Object.entries(local)) {
  const other = remote[id];
  if (!other || other.key !== stage.key) { console.log(`key differs: ${id}`); differ++; continue; }
  for (const [name, out] of Object.entries(stage.outputs ?? {})) {
    outputs++;
    if (other.outputs[name]?.digest !== out.digest) { console.log(`digest differs: ${id}.${name}`); differ++; }
  }
}
console.log(`${Object.keys(local).length} stages, ${outputs} outputs: ${differ === 0 ? "every key and digest equal" : differ + " differ"}`);
process.exit(differ === 0 ? 0 : 1);
' "$W/local-run.json" "$W/redis-run.json"
echo "stages per worker: $(grep -ho "running on worker [^ ]*" "$W"/redis-store/logs/*/*.log | sort | uniq -c | awk "{print \$1, \$NF}" | tr "\n" " ")"
