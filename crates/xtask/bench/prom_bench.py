#!/usr/bin/env python3
"""Times the benchmark's queries on a real Prometheus (for `cargo xtask bench`).

Reuses the differential oracle (promlib.py and promql_oracle.py's remote-write encoder), but
ingests the generated dataset straight from its segment description, streaming batches in time
order (the oracle would first build one Python tuple per sample), and asks the query API for
`stats=all` so the time reported is Prometheus's own evaluation time, without HTTP and JSON.

usage: prom_bench.py --oracle DIR --dataset FILE.json [--reps N] [--tsv OUT]
TSV lines: ingest <dataset> <seconds> <samples> / query <dataset> <name> <exec median ms>
           <eval median ms> <series> <points>
"""

import argparse
import json
import os
import statistics
import struct
import sys
import time


def series_values(s):
    """The values of a generated series, by the same repeated float addition as the Rust side."""
    for start, inc, count in s["segs"]:
        v = float(start)
        for _ in range(count):
            yield v
            v += inc


def ingest(po, promlib, prom, ds, batch_samples=60000):
    """Remote write in time order, in the same wire format as the oracle's encode_write_request,
    with each series' label bytes encoded once instead of once per request."""
    series = ds["series"]
    label_bytes = [b"".join(po._ld(1, po._ld(1, k.encode()) + po._ld(2, s["labels"][k].encode()))
                            for k in sorted(s["labels"])) for s in series]
    iters = [series_values(s) for s in series]
    per_step = max(1, batch_samples // max(1, len(series)))
    interval, points = ds["interval_ms"], ds["points"]
    pack = struct.Struct("<d").pack
    sent = 0
    for k0 in range(0, points, per_step):
        k1 = min(points, k0 + per_step)
        out = bytearray()
        for i in range(len(series)):
            it = iters[i]
            ts = bytearray(label_bytes[i])
            for k in range(k0, k1):
                ts += po._ld(2, b"\x09" + pack(next(it)) + b"\x10" + po._varint(k * interval))
            out += po._ld(1, bytes(ts))
        body = bytes(out)
        st, resp = promlib.http("POST", prom.url + "/api/v1/write", data=po.snappy_literal(body), headers={
            "Content-Encoding": "snappy", "Content-Type": "application/x-protobuf",
            "X-Prometheus-Remote-Write-Version": "0.1.0"})
        if st not in (200, 204):
            raise RuntimeError("remote write failed (%s): %s" % (st, resp.decode("utf-8", "replace")))
        sent += (k1 - k0) * len(series)
    return sent


def shape(resp):
    result = resp.get("data", {}).get("result", [])
    return len(result), sum(len(r.get("values", [])) for r in result)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--oracle", required=True)
    ap.add_argument("--dataset", required=True)
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--tsv")
    args = ap.parse_args()
    sys.path.insert(0, os.path.abspath(args.oracle))
    import promlib  # noqa: E402
    import promql_oracle as po  # noqa: E402

    # Same isolation as the oracle: re-executes this script in a network namespace when root.
    promlib.ensure_netns()
    with open(args.dataset, encoding="utf-8") as f:
        ds = json.load(f)
    prom = promlib.Prometheus(po.MINIMAL_CONFIG, extra_args=["--web.enable-remote-write-receiver"])
    lines = []
    try:
        prom.start()
        t0 = time.monotonic()
        n = ingest(po, promlib, prom, ds)
        secs = time.monotonic() - t0
        print("prometheus %s: ingested %d samples in %.1f s" % (ds["name"], n, secs), file=sys.stderr)
        lines.append("ingest\t%s\t%.3f\t%d" % (ds["name"], secs, n))
        for q in ds["queries"]:
            params = {"query": q["expr"], "start": ds["start_ms"] / 1000.0, "end": ds["end_ms"] / 1000.0,
                      "step": ds["step_ms"] / 1000.0, "stats": "all"}
            execs, evals, got = [], [], (0, 0)
            # One warm-up run: the first touches cold blocks and may race head compaction.
            for rep in range(args.reps + 1):
                resp = prom.api("/api/v1/query_range", params)
                if resp.get("status") != "success":
                    raise RuntimeError("%s: %s" % (q["expr"], resp.get("error")))
                timings = resp["data"].get("stats", {}).get("timings", {})
                if rep > 0:
                    execs.append(timings.get("execTotalTime", float("nan")) * 1000)
                    evals.append(timings.get("evalTotalTime", float("nan")) * 1000)
                got = shape(resp)
            line = "query\t%s\t%s\t%.3f\t%.3f\t%d\t%d" % (
                ds["name"], q["name"], statistics.median(execs), statistics.median(evals), got[0], got[1])
            print("prometheus " + line, file=sys.stderr)
            lines.append(line)
    finally:
        prom.stop()
    out = "\n".join(lines) + "\n"
    if args.tsv:
        with open(args.tsv, "w", encoding="utf-8") as f:
            f.write(out)
    else:
        sys.stdout.write(out)


if __name__ == "__main__":
    main()
