"""The differential suite: the engine (through `crm-lens-query`) against DuckDB SQL.

Usage: python3 tests/differential/run.py CRM_LENS_QUERY_BINARY [SCRATCH_DIR]

Then the predictive CLV against Python's lifetimes (`clv.py`).

For several datasets (edge cases in two time zones, demo-generator data of two sizes and seeds)
and many specs per analysis, every engine result must equal the SQL result exactly. Prints one
line per dataset and analysis and exits non-zero on any difference.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import datasets  # noqa: E402
import funnels  # noqa: E402
import lifecycle  # noqa: E402
import paths  # noqa: E402
import retention  # noqa: E402
import segments  # noqa: E402
import warehouse  # noqa: E402

ANALYSES = [("retention", retention), ("segments", segments), ("funnels", funnels), ("paths", paths), ("lifecycle", lifecycle)]


def datasets_to_check(cli, scratch):
    for seed, zone in [(1, "Asia/Seoul"), (2, "America/New_York"), (3, "Asia/Seoul")]:
        directory = os.path.join(scratch, f"edge-{seed}")
        datasets.write(directory, *datasets.edge_dataset(seed, zone))
        # Seed 1 is also read in a zone west of its own: local dates of date attributes move.
        yield f"edge seed {seed} {zone}", directory, [zone] + (["America/New_York"] if seed == 1 else [])
    for customers, seed in [(400, 11), (1500, 12)]:
        directory = os.path.join(scratch, f"gen-{customers}-{seed}")
        datasets.generated(cli, directory, customers, seed)
        yield f"generated {customers} customers seed {seed}", directory, ["Asia/Seoul", "Europe/Berlin"]


def run_engine(cli, directory, queries, scratch):
    path = os.path.join(scratch, "queries.json")
    with open(path, "w") as f:
        json.dump(queries, f)
    done = subprocess.run([cli, "run", "--data", directory, "--query", path, "--compact"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"crm-lens-query failed: {done.stderr}")
    return json.loads(done.stdout)


def main():
    cli = os.path.abspath(sys.argv[1])
    scratch = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="crm-lens-diff-")
    failures = 0
    checked = 0
    started = time.time()
    for label, directory, zones in datasets_to_check(cli, scratch):
        con, meta = warehouse.load(directory, os.path.join(scratch, "tables"))
        as_of = datetime.fromisoformat(meta["as_of"])
        for zone in zones:
            for name, module in ANALYSES:
                specs = module.cases(as_of.date(), meta)
                queries = [dict(spec, v=1, time_zone=zone, now=meta["as_of"]) for spec in specs]
                outputs = run_engine(cli, directory, queries, scratch)
                bad = 0
                for query, output in zip(queries, outputs):
                    problems = module.compare(con, query, output, zone, query.get("week_start", "monday"),
                                              int(as_of.timestamp()))
                    checked += 1
                    if problems:
                        bad += 1
                        print(f"  DIFF {name} {json.dumps(query)}")
                        for p in problems[:8]:
                            print(f"       {p}")
                failures += bad
                print(f"{label} [{zone}] {name}: {len(queries) - bad}/{len(queries)} equal")
    print(f"differential: {checked - failures}/{checked} results equal in {time.time() - started:.1f} s")
    import clv  # noqa: E402  (needs lifetimes: .ci/tools.sh need_lifetimes)
    _, clv_bad = clv.check(cli, scratch)
    sys.exit(1 if failures or clv_bad else 0)


if __name__ == "__main__":
    main()
