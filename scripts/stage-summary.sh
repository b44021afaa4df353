#!/usr/bin/env bash
# stage-summary.sh NAME DIR — one line per finished stage of a dataset: records, errors by code.
set -euo pipefail
name=$1 dir=$2
python3 - "$name" "$dir" <<'PY' >&2
import collections, json, os, sys
name, folder = sys.argv[1:3]
print(f"\n{name}: {folder}/")
for stage in ("listed", "fetched", "resized", "described", "categorized"):
    path = os.path.join(folder, stage + ".ndjson")
    if not os.path.exists(path):
        state = "interrupted (rerun make to resume)" if os.path.exists(path + ".part") else "not run"
        print(f"  {stage:<12} {state}")
        continue
    total, errors = 0, collections.Counter()
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            total += 1
            try:
                error = json.loads(line).get("error")
            except ValueError:
                error = {"code": "unreadable"}
            if error:
                errors[f"{error.get('stage', '?')}:{error.get('code', '?')}"] += 1
    detail = ", ".join(f"{n} {code}" for code, n in errors.most_common())
    print(f"  {stage:<12} {total} records, {total - sum(errors.values())} ok" + (f", errors: {detail}" if detail else ""))
PY
