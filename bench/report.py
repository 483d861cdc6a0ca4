"""Markdown tables of benchmark results, for docs/performance.md:

python -m bench.report bench/results/scale-N.json [bench/results/load-scale-N.json]
"""

import json
import sys
from pathlib import Path
from typing import Any


def pages_table(document: dict[str, Any]) -> str:
    m = document["machine"]
    lines = [
        f"Scale {document['scale']}, {document['settings']['requests']} requests a page, "
        f"measured {document['measured_at']} on {m['cpus']} × {m.get('cpu_model', 'CPU')}, "
        f"{m['database']} {(m.get('database_version') or '').partition(' ')[0]}, load average "
        f"{m['load_average'][0]} before and {m.get('load_average_after', ['?'])[0]} after. "
        f"Volumes: " + ", ".join(f"{n:,} {name}" for name, n in document["volumes"].items()) + ".",
        "",
        "| page (as) | role | p50 ms | p95 ms | × floor | queries | p95 target |",
        "|---|---|--:|--:|--:|--:|--:|",
    ]
    for key, r in document["pages"].items():
        target = "" if r["target_p95"] is None else f"{r['target_p95']:.0f}"
        if r["within_target"] is False:
            target += " **over**"
        lines.append(
            f"| {key} | {r['role']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['ratio']:.1f} "
            f"| {r['queries']} | {target} |"
        )
    lines += [
        f"| {key} | failed: {r['error']} | | | | | |" for key, r in document["failed"].items()
    ]
    lines += [f"| {key} | skipped: {why} | | | | | |" for key, why in document["skipped"].items()]
    return "\n".join(lines)


def load_line(document: dict[str, Any]) -> str:
    r, w, m = document["result"], document["wrk"], document["machine"]
    latency, targets = r["latency_ms"], document["targets"]
    return (
        f"Mixed load, scale {document['scale']}, {document['server']}; wrk {w['threads']} "
        f"threads, {w['connections']} connections, {w['seconds']} s after {w['warmup_seconds']} "
        f"s of warm-up; load average {m['load_average'][0]} before and "
        f"{m.get('load_average_after', ['?'])[0]} after: **{r['page_views_per_s']:.1f} page "
        f"views/s**, latency p50 {latency['p50']:.0f} ms, p95 {latency['p95']:.0f} ms, p99 "
        f"{latency['p99']:.0f} ms; {r['not_200']} answers not 200 (target ≥ "
        f"{targets['page_views_per_s']:.0f}/s with p95 < {targets['p95_ms']:.0f} ms: "
        f"{'met' if targets['met'] else 'not met'})."
    )


def main(paths: list[str]) -> int:
    for path in paths:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        print(load_line(document) if "result" in document else pages_table(document))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
