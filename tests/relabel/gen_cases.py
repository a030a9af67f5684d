#!/usr/bin/env python3
"""Deterministic generator of relabel golden inputs (stdlib only).

Writes target_cases.json (for relabel_oracle.py) and metric_cases.json (for
metric_relabel_oracle.py). The inputs stay clear of the known Prometheus 2.42
vs 3.x differences (see shared/oracle/README.md section 5): every __address__
has an explicit port and every rewrite keeps one, no newlines, legacy label
names only, no templated target_label whose replacement can be empty, no
labelmap collisions (Go map order decides those), no config params together
with target __param_* labels, and le/quantile values written in normalised
form. Usage: python3 gen_cases.py [--samples DIR] [--out DIR]
"""

import argparse
import decimal
import json
import os
import random
import re

SEED = 20261121

# --- realistic target sets -------------------------------------------------

NAMESPACES = ["default", "kube-system", "monitoring", "payments", "web"]
APPS = ["api", "frontend", "redis", "postgres", "node-exporter", "kafka", "grafana"]
PHASES = ["Running", "Running", "Running", "Pending", "Succeeded", "Failed"]
PORT_NAMES = ["http-metrics", "metrics", "http", "grpc", "web"]


def k8s_pod(r, i):
    ns = r.choice(NAMESPACES)
    app = r.choice(APPS)
    ip = "10.%d.%d.%d" % (r.randrange(0, 4), r.randrange(0, 255), r.randrange(1, 255))
    port = r.choice([8080, 9090, 9100, 3000, 6379])
    pod = "%s-%s-%05x" % (app, r.choice(["7d9f8", "5c6b4", "b8d7c"]), r.randrange(0, 1 << 20))
    t = {
        "__address__": "%s:%d" % (ip, port),
        "__meta_kubernetes_namespace": ns,
        "__meta_kubernetes_pod_name": pod,
        "__meta_kubernetes_pod_ip": ip,
        "__meta_kubernetes_pod_phase": r.choice(PHASES),
        "__meta_kubernetes_pod_ready": r.choice(["true", "false"]),
        "__meta_kubernetes_pod_node_name": "node-%d" % r.randrange(1, 6),
        "__meta_kubernetes_pod_container_name": app,
        "__meta_kubernetes_pod_container_port_name": r.choice(PORT_NAMES),
        "__meta_kubernetes_pod_container_port_number": str(port),
        "__meta_kubernetes_pod_container_port_protocol": "TCP",
        "__meta_kubernetes_pod_label_app": app,
        "__meta_kubernetes_pod_labelpresent_app": "true",
        "__meta_kubernetes_pod_controller_kind": r.choice(["ReplicaSet", "DaemonSet", "StatefulSet"]),
        "__meta_kubernetes_pod_uid": "%08x-1f2e-4a5b-9c8d-%012x" % (r.randrange(1 << 32), r.randrange(1 << 48)),
    }
    if r.random() < 0.6:
        t["__meta_kubernetes_pod_annotation_prometheus_io_scrape"] = r.choice(["true", "true", "false"])
        t["__meta_kubernetes_pod_annotationpresent_prometheus_io_scrape"] = "true"
    if r.random() < 0.4:
        t["__meta_kubernetes_pod_annotation_prometheus_io_path"] = r.choice(["/metrics", "/stats/prometheus", "/actuator/prometheus"])
    if r.random() < 0.4:
        t["__meta_kubernetes_pod_annotation_prometheus_io_port"] = str(r.choice([port, 9102, 8081]))
    if r.random() < 0.3:
        t["__meta_kubernetes_pod_annotation_prometheus_io_scheme"] = r.choice(["http", "https", "HTTPS"])
    if r.random() < 0.5:
        t["__meta_kubernetes_pod_label_team"] = r.choice(["core", "Payments", "SRE"])
    if r.random() < 0.3:
        t["__meta_kubernetes_pod_label_version"] = "v%d.%d" % (r.randrange(1, 4), r.randrange(0, 20))
    return t


def k8s_endpoint(r, i):
    t = k8s_pod(r, i)
    svc = t["__meta_kubernetes_pod_label_app"] + r.choice(["", "-svc", "-headless"])
    t.update({
        "__meta_kubernetes_service_name": svc,
        "__meta_kubernetes_endpoints_name": svc,
        "__meta_kubernetes_endpoint_port_name": t["__meta_kubernetes_pod_container_port_name"],
        "__meta_kubernetes_endpoint_port_protocol": "TCP",
        "__meta_kubernetes_endpoint_ready": r.choice(["true", "true", "false"]),
        "__meta_kubernetes_endpoint_address_target_kind": "Pod",
        "__meta_kubernetes_endpoint_address_target_name": t["__meta_kubernetes_pod_name"],
        "__meta_kubernetes_service_label_app": t["__meta_kubernetes_pod_label_app"],
    })
    if r.random() < 0.5:
        t["__meta_kubernetes_service_annotation_prometheus_io_scrape"] = r.choice(["true", "false"])
    return t


def consul(r, i):
    svc = r.choice(["web", "billing", "auth", "search", "consul"])
    node = "consul-node-%d" % r.randrange(1, 5)
    ip = "172.16.%d.%d" % (r.randrange(0, 8), r.randrange(1, 255))
    port = r.choice([8500, 9100, 8080, 9273])
    tags = r.sample(["prom", "v2", "canary", "primary", "metrics"], r.randrange(0, 4))
    t = {
        "__address__": "%s:%d" % (ip, port),
        "__meta_consul_address": ip,
        "__meta_consul_dc": r.choice(["dc1", "eu-west-1", "US-EAST"]),
        "__meta_consul_health": r.choice(["passing", "passing", "warning", "critical"]),
        "__meta_consul_node": node,
        "__meta_consul_service": svc,
        "__meta_consul_service_address": ip,
        "__meta_consul_service_id": "%s-%d" % (svc, r.randrange(1, 99)),
        "__meta_consul_service_port": str(port),
        "__meta_consul_tagged_address_lan": ip,
        "__meta_consul_tags": "," + ",".join(tags) + "," if tags else ",,",
    }
    for tag in tags:
        t["__meta_consul_tag_" + tag] = ""
    if r.random() < 0.5:
        t["__meta_consul_service_metadata_team"] = r.choice(["search", "Core"])
    if r.random() < 0.4:
        t["__meta_consul_service_metadata_path"] = r.choice(["/metrics", "/v1/metrics"])
    return {k: v for k, v in t.items() if v != ""}


def file_sd(r, i):
    host = r.choice(["db", "cache", "lb", "web", "mq"]) + "%02d.prod.example.com" % r.randrange(1, 30)
    t = {"__address__": "%s:%d" % (host, r.choice([9100, 9187, 9121, 443])),
         "env": r.choice(["prod", "staging", "Dev"]),
         "dc": r.choice(["fra1", "ams3", "nyc2"])}
    if r.random() < 0.5:
        t["role"] = r.choice(["primary", "replica"])
    if r.random() < 0.3:
        t["team"] = r.choice(["db", "edge", "platform"])
    if r.random() < 0.2:
        t["__address__"] = "%s:%s" % (host, "9100")
        t["job"] = "node"
    return t


# --- rule sets ---------------------------------------------------------------

K8S_PODS = """\
- source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape]
  action: keep
  regex: "true"
- source_labels: [__meta_kubernetes_pod_phase]
  regex: Succeeded|Failed
  action: drop
- source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_path]
  action: replace
  target_label: __metrics_path__
  regex: (.+)
- source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scheme]
  action: replace
  regex: (https?)
  target_label: __scheme__
- source_labels: [__address__, __meta_kubernetes_pod_annotation_prometheus_io_port]
  action: replace
  regex: ([^:]+)(?::\\d+)?;(\\d+)
  replacement: $1:$2
  target_label: __address__
- action: labelmap
  regex: __meta_kubernetes_pod_label_(.+)
- source_labels: [__meta_kubernetes_namespace]
  action: replace
  target_label: namespace
- source_labels: [__meta_kubernetes_pod_name]
  action: replace
  target_label: pod
"""

K8S_ENDPOINTS = """\
- source_labels: [__meta_kubernetes_service_annotation_prometheus_io_scrape]
  action: drop
  regex: "false"
- source_labels: [__meta_kubernetes_endpoint_port_name]
  action: keep
  regex: .*metrics
- source_labels: [__meta_kubernetes_endpoint_ready]
  regex: "false"
  action: drop
- action: labelmap
  regex: __meta_kubernetes_service_label_(.+)
  replacement: svc_$1
- source_labels: [__meta_kubernetes_namespace, __meta_kubernetes_service_name]
  separator: /
  target_label: job
- source_labels: [__meta_kubernetes_pod_node_name]
  target_label: node
- source_labels: [__meta_kubernetes_pod_name, __meta_kubernetes_pod_container_port_name]
  separator: ":"
  target_label: instance
"""

K8S_SHARD = """\
- source_labels: [__address__]
  modulus: 4
  target_label: __tmp_hash
  action: hashmod
- source_labels: [__tmp_hash]
  regex: "1|3"
  action: keep
- source_labels: [__meta_kubernetes_pod_uid]
  modulus: 1000
  target_label: shard
  action: hashmod
- regex: __tmp_hash
  action: labeldrop
"""

K8S_EQUAL = """\
- source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_port]
  target_label: __meta_kubernetes_pod_container_port_number
  action: keepequal
- source_labels: [__meta_kubernetes_pod_container_name]
  target_label: __meta_kubernetes_pod_label_app
  action: dropequal
- source_labels: [__meta_kubernetes_pod_label_team]
  target_label: team
  action: lowercase
"""

K8S_EQUAL_SOFT = """\
- source_labels: [__meta_kubernetes_pod_container_port_number]
  target_label: __meta_kubernetes_pod_annotation_prometheus_io_port
  action: dropequal
- source_labels: [__meta_kubernetes_pod_label_team, __meta_kubernetes_pod_label_app]
  separator: "-"
  target_label: owner
  action: uppercase
- source_labels: [__meta_kubernetes_pod_controller_kind]
  target_label: kind
  action: lowercase
"""

CONSUL = """\
- source_labels: [__meta_consul_tags]
  regex: .*,prom,.*
  action: keep
- source_labels: [__meta_consul_health]
  regex: critical
  action: drop
- source_labels: [__meta_consul_service]
  target_label: job
- source_labels: [__meta_consul_node]
  target_label: instance
- source_labels: [__meta_consul_dc]
  target_label: datacenter
  action: lowercase
- action: labelmap
  regex: __meta_consul_service_metadata_(.+)
- source_labels: [__meta_consul_service_metadata_path]
  regex: (/.+)
  target_label: __metrics_path__
"""

CONSUL_KEEP = """\
- source_labels: [__meta_consul_service, __meta_consul_service_port]
  separator: ":"
  regex: (web|auth):(\\d+)
  target_label: svc_port
  replacement: ${1}_on_$2
- action: labelmap
  regex: __meta_consul_(dc|node|service)
  replacement: consul_$1
- action: labelkeep
  regex: __.*|consul_.*|svc_port|job
"""

BLACKBOX = """\
- source_labels: [__address__]
  target_label: __param_target
- source_labels: [__param_target]
  target_label: instance
- target_label: __address__
  replacement: blackbox-exporter.monitoring.svc:9115
- source_labels: [env]
  regex: (?i)dev
  action: drop
- source_labels: [dc, role]
  separator: "@"
  regex: (\\w+)@(primary|replica)
  target_label: placement
  replacement: $2.$1
"""

FILE_SD_MISC = """\
- source_labels: [__address__]
  regex: ([^.]+)\\.(\\w+)\\.example\\.com:(\\d+)
  target_label: host
  replacement: $1
- source_labels: [__address__]
  regex: ([^.]+)\\.(\\w+)\\.example\\.com:(\\d+)
  target_label: stage
  replacement: ${2}
- source_labels: [host]
  regex: (db|cache)\\d+
  target_label: tier
  replacement: data_$1
- source_labels: [env]
  target_label: env
  action: uppercase
- source_labels: [role]
  regex: replica
  target_label: role
  replacement: ""
- regex: dc
  action: labeldrop
- source_labels: [team]
  regex: (.+)
  target_label: owner_$1
  replacement: yes
"""

EXPAND_EDGES = """\
- source_labels: [env]
  regex: (?P<e>[a-z]+)
  target_label: named
  replacement: <$e>
- source_labels: [env]
  regex: (p)(rod)
  target_label: glued
  replacement: $1x-${1}x-$$1
- source_labels: [dc]
  regex: ([a-z]+)(\\d)
  target_label: dc_$1
  replacement: n$2
- source_labels: [nothing_here]
  target_label: empty_src
  replacement: static
- source_labels: [nothing_here, env]
  target_label: joined
- source_labels: [env]
  regex: prod|staging
  target_label: __address__
  replacement: ""
"""

STATIC_DEFAULTS = """\
- target_label: cluster
  replacement: eu-central-1
- source_labels: [job]
  regex: node
  target_label: __scheme__
  replacement: https
- source_labels: [__scrape_interval__]
  target_label: interval
- source_labels: [__metrics_path__, __scheme__]
  separator: "|"
  target_label: endpoint
"""

RULESETS = [
    ("kubernetes pods (prometheus.io annotations)", K8S_PODS, k8s_pod, 40, {}),
    ("kubernetes endpoints", K8S_ENDPOINTS, k8s_endpoint, 40, {}),
    ("kubernetes hashmod sharding", K8S_SHARD, k8s_pod, 30, {}),
    ("kubernetes keepequal/dropequal/lowercase", K8S_EQUAL, k8s_pod, 25, {}),
    ("kubernetes dropequal/uppercase", K8S_EQUAL_SOFT, k8s_pod, 20, {}),
    ("consul", CONSUL, consul, 35, {}),
    ("consul labelmap/labelkeep", CONSUL_KEEP, consul, 25, {}),
    ("blackbox via file_sd", BLACKBOX, file_sd, 25, {"params": {"module": ["http_2xx"]}}),
    ("file_sd host parsing", FILE_SD_MISC, file_sd, 30, {}),
    ("expansion edge cases", EXPAND_EDGES, file_sd, 25, {}),
    ("static labels and scrape defaults", STATIC_DEFAULTS, file_sd, 20,
     {"job_name": "static", "scrape_interval": "30s", "scrape_timeout": "5s", "metrics_path": "/probe"}),
]


def target_cases():
    r = random.Random(SEED)
    cases = []
    for name, rules, gen, n, extra in RULESETS:
        case = {"name": name, "relabel_configs": rules, "targets": [gen(r, i) for i in range(n)]}
        case.update(extra)
        cases.append(case)
    return {"cases": cases}


# --- metric relabeling over real exposition ----------------------------------

def go_g(f):
    """Go's strconv.FormatFloat(f, 'g', -1, 64) + OpenMetrics ".0" (Prometheus 3.x le normalisation)."""
    if f != f:
        return "NaN"
    if f in (float("inf"), float("-inf")):
        return "+Inf" if f > 0 else "-Inf"
    d = decimal.Decimal(repr(f))
    sign, digits, exp = d.normalize().as_tuple()
    digits = "".join(map(str, digits)) or "0"
    x = len(digits) + exp - 1
    if f == 0:
        s = "0"
    elif x < -4 or x >= 21 or (x >= 6):
        m = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        s = "%se%s%02d" % (m, "-" if x < 0 else "+", abs(x))
    else:
        s = format(d.normalize(), "f")
    if sign and not s.startswith("-"):
        s = "-" + s
    if not any(c in s for c in ".eE") and "Inf" not in s and s != "NaN":
        s += ".0"
    return s


LE_RE = re.compile(r'\b(le|quantile)="([^"]*)"')


def normalise(text):
    return LE_RE.sub(lambda m: '%s="%s"' % (m.group(1), go_g(float(m.group(2)))), text)


def families(text, pattern):
    """The HELP/TYPE/sample lines of every family whose name matches pattern, in file order."""
    out, keep = [], False
    rx = re.compile(pattern)
    for line in text.splitlines():
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            keep = bool(rx.fullmatch(line.split()[2]))
        elif not line.startswith("#"):
            name = re.split(r"[{ ]", line, 1)[0]
            base = re.sub(r"_(bucket|sum|count|total|created)$", "", name)
            keep = keep or bool(rx.fullmatch(name) or rx.fullmatch(base))
        if keep and line.strip():
            out.append(line)
    return "\n".join(out) + "\n"


BUCKET_DROP = """\
- source_labels: [__name__, le]
  separator: _
  regex: .+_bucket_(0\\.[0-9]+)
  action: drop
"""

METRIC_CASES = [
    ("classic _bucket drop by [__name__, le]", "prometheus.prom", r"prometheus_http_request_duration_seconds|prometheus_tsdb_compaction_chunk_.*", BUCKET_DROP, {}),
    ("_bucket drop on node_exporter", "node_exporter.prom", r"node_(cpu|disk_io_time|network_receive_bytes|load1|filesystem_avail_bytes).*|go_gc_duration_seconds", BUCKET_DROP, {}),
    ("drop go_ and process_ families", "node_exporter.prom", r"(go|process|node_memory_Mem|node_time)_.*", "- source_labels: [__name__]\n  regex: (go|process)_.*\n  action: drop\n", {}),
    ("keep a whitelist", "prometheus.prom", r"prometheus_(tsdb_head|http_requests_total|engine_query_duration).*", "- source_labels: [__name__]\n  regex: prometheus_tsdb_head_(series|chunks)|prometheus_http_requests_total\n  action: keep\n", {}),
    ("labeldrop device (collapses series: first wins)", "node_exporter.prom", r"node_(disk_.*|filesystem_.*|network_.*_bytes_total)", "- regex: device|mountpoint\n  action: labeldrop\n", {}),
    ("labelkeep", "node_exporter.prom", r"node_(cpu_seconds_total|network_up|filesystem_size_bytes)", "- regex: __name__|job|instance|cpu|mode|fstype|device\n  action: labelkeep\n", {}),
    ("rename metric with replace", "prometheus.prom", r"prometheus_(http_requests_total|target_interval_length_seconds|sd_.*)", "- source_labels: [__name__]\n  regex: prometheus_(.+)\n  target_label: __name__\n  replacement: prom_${1}\n- source_labels: [code]\n  regex: (2|4|5)..\n  target_label: code_class\n  replacement: ${1}xx\n", {}),
    ("hashmod shard on series", "node_exporter.prom", r"node_(cpu_seconds_total|network_.*_packets_total)", "- source_labels: [__name__, cpu, device]\n  modulus: 3\n  target_label: __tmp_shard\n  action: hashmod\n- source_labels: [__tmp_shard]\n  regex: \"0\"\n  action: keep\n- regex: __tmp_shard\n  action: labeldrop\n", {}),
    ("labelmap handler to path", "prometheus.prom", r"prometheus_http_(requests_total|response_size_bytes)", "- regex: (handler)\n  replacement: path_$1\n  action: labelmap\n- regex: handler\n  action: labeldrop\n", {}),
    ("lowercase/uppercase of names", "node_exporter.prom", r"node_(memory_Mem.*|memory_Swap.*|uname_info|os_info)", "- source_labels: [__name__]\n  target_label: __name__\n  action: lowercase\n- source_labels: [sysname]\n  target_label: os\n  action: uppercase\n", {}),
    ("keepequal/dropequal against target labels", "prometheus.prom", r"prometheus_(build_info|ready|config_last_reload_successful|target_.*)", "- source_labels: [__name__]\n  target_label: keep_me\n  action: dropequal\n- source_labels: [job]\n  target_label: job\n  action: keepequal\n", {"target_labels": {"keep_me": "prometheus_ready"}}),
    ("exported_ labels (honor_labels false)", "pushgateway.prom", r".*", "- source_labels: [exported_job]\n  target_label: pushed_by\n", {}),
    ("honor_labels true", "pushgateway.prom", r".*", "- source_labels: [job]\n  regex: (.*)\n  target_label: job_seen\n", {"scrape_config": {"honor_labels": True}}),
    ("alertmanager: drop quantiles except median", "alertmanager.prom", r"alertmanager_.*|go_gc_duration_seconds", "- source_labels: [quantile]\n  regex: \"0\\\\.25|0\\\\.75|0\\\\.0|1\\\\.0\"\n  action: drop\n- source_labels: [__name__, le]\n  separator: _\n  regex: .+_bucket_(1\\.0|5\\.0)\n  action: drop\n", {}),
    ("blackbox probe: keep probe_ and rename", "blackbox_probe_http_2xx.prom", r".*", "- source_labels: [__name__]\n  regex: probe_(http_)?(.+)\n  target_label: __name__\n  replacement: bb_$2\n- source_labels: [phase]\n  regex: (.+)\n  target_label: phase\n  action: uppercase\n", {"target_labels": {"module": "http_2xx"}}),
    ("extra target labels and static replace", "blackbox_exporter.prom", r".*", "- target_label: env\n  replacement: prod\n- source_labels: [__name__, env]\n  regex: (blackbox|go)_.*;prod\n  target_label: origin\n  replacement: ${1}\n", {"target_labels": {"region": "eu"}}),
]


def metric_cases(samples):
    cases = []
    for name, sample, fams, rules, extra in METRIC_CASES:
        with open(os.path.join(samples, sample)) as f:
            text = normalise(families(f.read(), fams))
        case = {"name": name, "source": sample, "exposition": text, "metric_relabel_configs": rules}
        case.update(extra)
        cases.append(case)
    return {"cases": cases}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--samples", default=os.path.join(here, "..", "..", "..", "shared", "samples"))
    ap.add_argument("--out", default=here)
    a = ap.parse_args()
    with open(os.path.join(a.out, "target_cases.json"), "w") as f:
        json.dump(target_cases(), f, indent=1, sort_keys=True)
        f.write("\n")
    with open(os.path.join(a.out, "metric_cases.json"), "w") as f:
        json.dump(metric_cases(a.samples), f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
