#!/usr/bin/env bash
# Captures the answers of a real Prometheus 2.42 that crates/session/tests/remote.rs replays:
# the three chunks `promplay import --match up --start 1795277387.266 --end 1795278875.579
# --chunk 10m` asks for, and two queries to compare with. Start a server on tests/remote/data.om
# first (tests/e2e/prometheus.mjs, or promtool + prometheus by hand) and pass its URL.
set -euo pipefail
url=${1:?usage: capture.sh http://127.0.0.1:PORT}
cd "$(dirname "$0")"
q() { curl -sfG "$url/api/v1/$1" "${@:3}" > "$2"; }
# An error answer (HTTP 400) is kept too.
q_any() { curl -sG "$url/api/v1/$1" "${@:3}" > "$2"; }
q query chunk1.json --data-urlencode 'query=up[10m]' --data-urlencode time=1795277987.265
q query chunk2.json --data-urlencode 'query=up[10m]' --data-urlencode time=1795278587.265
q query chunk3.json --data-urlencode 'query=up[4m48s314ms]' --data-urlencode time=1795278875.579
q query sum_by_job.json --data-urlencode 'query=sum by (job) (up)' --data-urlencode time=1795278600.5
q query_range changes.json --data-urlencode 'query=changes(up[5m])' --data-urlencode start=1795278000.5 \
  --data-urlencode end=1795278600.5 --data-urlencode step=60
q_any query sort_by_label.json --data-urlencode 'query=sort_by_label(up, "job")' --data-urlencode time=1795278600.5
