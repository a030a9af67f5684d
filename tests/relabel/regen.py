#!/usr/bin/env python3
"""Regenerates the relabel goldens with the real-Prometheus oracles (stdlib only).

    python3 gen_cases.py                 # writes target_cases.json, metric_cases.json
    python3 regen.py [--oracle DIR]      # writes target_golden.json, metric_golden.json

relabel_oracle.py waits at most 60 s for all scrape pools to sync, so the target
cases are sent one rule set per run (each run is one server start).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def run(script, case_doc, extra=()):
    with tempfile.TemporaryDirectory() as d:
        src, out = os.path.join(d, "in.json"), os.path.join(d, "out.json")
        with open(src, "w") as f:
            json.dump(case_doc, f)
        subprocess.run([sys.executable, script, src, "-o", out, *extra], check=True)
        with open(out) as f:
            return json.load(f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--oracle", default=os.path.join(HERE, "..", "..", "..", "shared", "oracle"))
    a = ap.parse_args()
    with open(os.path.join(HERE, "target_cases.json")) as f:
        target_cases = json.load(f)["cases"]
    golden = {"prometheus": None, "cases": []}
    for case in target_cases:
        res = run(os.path.join(a.oracle, "relabel_oracle.py"), {"cases": [case]})
        golden["prometheus"] = res.get("prometheus")
        results = [{k: r.get(k) for k in ("result", "discoveredLabels", "relabeled", "labels", "error")}
                   for r in res["results"]]
        golden["cases"].append({**case, "results": results})
    with open(os.path.join(HERE, "target_golden.json"), "w") as f:
        json.dump(golden, f, indent=1, sort_keys=True)
        f.write("\n")
    with open(os.path.join(HERE, "metric_cases.json")) as f:
        metric_cases = json.load(f)
    res = run(os.path.join(a.oracle, "metric_relabel_oracle.py"), metric_cases)
    out = {"prometheus": res.get("prometheus"), "cases": []}
    for case, r in zip(metric_cases["cases"], res["results"]):
        series = [{"labels": s["labels"], "value": s["value"]} for s in r["series"]]
        out["cases"].append({**case, "series": series, "scrape": r["scrape"]})
    with open(os.path.join(HERE, "metric_golden.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
