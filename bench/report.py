#!/usr/bin/env python3
"""Combines bench/run's JSON reports (native.json, duckdb.json, wasm.json in DIR) into one table
with the targets of docs/benchmarks.md. Prints Markdown, so the table can go into the docs.

    python3 bench/report.py target/bench
"""

import json
import os
import sys

# The targets: every query at most a quarter of DuckDB's time; retention ≤ 30 ms; a segment rule
# ≤ 10 ms; ingest ≥ 150 MB/s of JSON; ≤ 48 bytes per event.
RATIO_TARGET = 0.25
RETENTION_MS = 30.0
SEGMENT_MS = 10.0
INGEST_MB_S = 150.0
BYTES_PER_EVENT = 48.0


def load(directory, name):
    path = os.path.join(directory, name)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def yes(ok):
    return "yes" if ok else "**no**"


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else "target/bench"
    native = load(directory, "native.json")
    if native is None:
        raise SystemExit(f"{directory}/native.json not found: run bench/run first")
    duck = load(directory, "duckdb.json")
    wasm = load(directory, "wasm.json")
    duck_q = {q["name"]: q for q in (duck or {}).get("queries", [])}
    wasm_q = {q["name"]: q for q in (wasm or {}).get("queries", [])}

    print(f"{native['customers']:,} customers, {native['events']:,} events, "
          f"{native['input_bytes'] / 1e6:.1f} MB of JSON; medians of "
          f"{len(native['ingest']['runs_ms'])} runs.\n")
    print("| query | engine ms | DuckDB ms | ratio | wasm ms | wasm/native | target | met? | same answer? |")
    print("|---|---:|---:|---:|---:|---:|---|---|---|")

    missed = []
    ing = native["ingest"]["median_ms"]
    mbs = native["ingest_mb_per_s"]
    d_ing = duck["load_ms"] if duck else None
    w_ing = wasm["ingest"]["median_ms"] if wasm else None
    ok = mbs >= INGEST_MB_S and (d_ing is None or ing <= RATIO_TARGET * d_ing)
    if not ok:
        missed.append("ingest")
    print(f"| JSON ingest ({mbs:.0f} MB/s) | {ing:.0f} | {fmt(d_ing, 0)} | {ratio(ing, d_ing)} | "
          f"{fmt(w_ing, 0)} | {ratio(w_ing, ing)} | ≥ {INGEST_MB_S:.0f} MB/s, ≤ {RATIO_TARGET}× | {yes(ok)} | — |")
    for q in native["queries"]:
        name = q["name"]
        ms = q["median_ms"]
        d = duck_q.get(name)
        w = wasm_q.get(name)
        d_ms = d["median_ms"] if d else None
        w_ms = w["median_ms"] if w else None
        limit = RETENTION_MS if q["kind"] == "retention" else SEGMENT_MS if q["kind"] == "segment" else None
        target = f"≤ {RATIO_TARGET}×" + (f", ≤ {limit:.0f} ms" if limit else "")
        ok = (d_ms is None or ms <= RATIO_TARGET * d_ms) and (limit is None or ms <= limit)
        if not ok:
            missed.append(name)
        # DuckDB's digest may hold fewer keys (a segment's count, not its total).
        agrees = d is not None and d["check"] is not None and \
            all(q["check"].get(k) == v for k, v in d["check"].items())
        same = "—" if d is None or d["check"] is None else ("yes" if agrees else
                                                             f"**no**: {json.dumps(q['check'])} vs {json.dumps(d['check'])}")
        print(f"| {name} | {ms:.2f} | {fmt(d_ms, 2)} | {ratio(ms, d_ms)} | {fmt(w_ms, 2)} | {ratio(w_ms, ms)} | "
              f"{target} | {yes(ok)} | {same} |")
    bpe = native["bytes_per_event"]
    if bpe > BYTES_PER_EVENT:
        missed.append("bytes per event")
    w_bpe = f"; wasm32 {wasm['bytes_per_event']:.1f}" if wasm else ""
    print(f"\nEvent columns: {native['event_bytes']:,} bytes = **{bpe:.1f} bytes per event**{w_bpe} "
          f"(target ≤ {BYTES_PER_EVENT:.0f}: {yes(bpe <= BYTES_PER_EVENT)}).")
    if duck:
        print(f"DuckDB {duck['duckdb']} with {duck['threads']} threads; its ingest is `read_json` of flattened "
              f"NDJSON ({duck['load_ms']:.0f} ms; the flattening in Python, {duck['flatten_ms']:.0f} ms, is not counted).")
    if wasm:
        print(f"wasm: {wasm['browser']}, ingest {wasm['ingest_mb_per_s']:.0f} MB/s.")
    print(f"\nTargets missed: {', '.join(missed) if missed else 'none'}.")


def fmt(v, digits):
    return "—" if v is None else f"{v:.{digits}f}"


def ratio(a, b):
    return "—" if a is None or not b else f"{a / b:.2f}"


if __name__ == "__main__":
    main()
