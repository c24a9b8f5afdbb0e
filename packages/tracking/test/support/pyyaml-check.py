"""Re-serialises every meta.yaml under a store the way MLflow does (PyYAML safe_dump,
default_flow_style=False, allow_unicode=True, sort_keys=True) and parses every metric line the
way MLflow's FileStore does. Prints a JSON report."""
import json, os, sys
import yaml

root = sys.argv[1]
report = {"meta": [], "metrics": [], "run_names": []}
for dirpath, dirnames, filenames in os.walk(root):
    for name in filenames:
        path = os.path.join(dirpath, name)
        rel = os.path.relpath(path, root)
        if name == "meta.yaml":
            text = open(path, encoding="utf-8").read()
            data = yaml.safe_load(text)
            again = yaml.safe_dump(data, default_flow_style=False, allow_unicode=True, sort_keys=True)
            report["meta"].append({"path": rel, "same": again == text, "pyyaml": again})
            if "run_id" in data:
                report["run_names"].append(data["run_name"])
        elif os.sep + "metrics" + os.sep in path:
            for line in open(path, encoding="utf-8").read().splitlines():
                parts = line.strip().split(" ")
                ts, val = int(parts[0]), float(parts[1])
                step = int(parts[2]) if len(parts) == 3 else 0
                report["metrics"].append([rel, ts, repr(val), step])
print(json.dumps(report))
