#!/usr/bin/env python3
"""DuckDB timings for the benchmark queries of bench/queries.json, on the same data.

    python3 bench/duckdb-bench.py DATA_DIR [--queries bench/queries.json] [--repeat 5] [--json OUT]

Loading: the v1 JSON files are flattened to NDJSON in Python (not timed as DuckDB's work), then
DuckDB reads them into two tables (`load_ms`, DuckDB's "ingest"): the differential suite's schema,
keyed by the customer's index (INTEGER) as the engine keys them. Then each query's SQL runs
`repeat` times and the median is reported. Retention reuses the differential suite's SQL
(tests/differential/retention.py `matrix()`). Segment rules run twice: as set-based SQL written
here (one function per benchmark query name) and as the suite's SQL (segments.py `members()`);
the faster counts. Funnel, paths and lifecycle have SQL for the core of their answer. Each result carries a `check` digest comparable with the
engine's (`crm-lens-bench --json`).
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "differential"))

import duckdb  # noqa: E402

from retention import matrix  # noqa: E402
from sql_common import event_filter, midnight_unix, period_start, periods_between  # noqa: E402
import segments  # noqa: E402
import warehouse  # noqa: E402
from warehouse import records, unix  # noqa: E402

D = 86400

# The differential suite's schema (tests/differential/warehouse.py), keyed by the customer's
# index (INTEGER) as the engine keys them, plus the `source` event property.
CUSTOMER_COLUMNS = dict(warehouse.CUSTOMER_COLUMNS, id="INTEGER")
EVENT_COLUMNS = dict(warehouse.EVENT_COLUMNS, customer_id="INTEGER", source="VARCHAR")


def flatten(directory, scratch):
    """Writes customers.ndjson and events.ndjson (one flat row each) and returns the meta."""
    with open(os.path.join(directory, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    customers = records(os.path.join(directory, "customers.json"))
    index = {}
    with open(os.path.join(scratch, "customers.ndjson"), "w", encoding="utf-8") as out:
        for i, c in enumerate(customers):
            index[c["id"]] = i
            a = c.get("attributes") or {}
            consent = c.get("consent") or {}
            row = {"ix": i, "id": i, "created_at": unix(c["created_at"]), "name": c.get("name"),
                   "email": c.get("email"), "phone": c.get("phone")}
            row.update({k: a.get(k) for k in warehouse.CUSTOM_ATTRIBUTES})
            row.update({f"consent_{k}": consent.get(k) for k in ("email", "sms", "push", "kakao")})
            out.write(json.dumps(row, ensure_ascii=False))
            out.write("\n")
    del customers
    events = records(os.path.join(directory, "events.json"))
    seen = set()
    with open(os.path.join(scratch, "events.ndjson"), "w", encoding="utf-8") as out:
        for i, e in enumerate(events):
            if e.get("id") is not None:
                if e["id"] in seen:
                    continue
                seen.add(e["id"])
            p = e.get("properties") or {}
            out.write(json.dumps({"customer_id": index[e["customer_id"]], "ix": i, "ts": unix(e["at"]),
                                  "type": e["type"], "value": e.get("value"), "coupon": p.get("coupon"),
                                  "category": p.get("category"), "score": p.get("score"),
                                  "channel": p.get("channel"), "source": p.get("source")},
                                 ensure_ascii=False))
            out.write("\n")
    return meta


def load(con, scratch):
    for name, columns in (("customers", CUSTOMER_COLUMNS), ("events", EVENT_COLUMNS)):
        spec = ", ".join(f"'{k}': '{v}'" for k, v in columns.items())
        path = os.path.join(scratch, f"{name}.ndjson")
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_json('{path}', "
                    f"format='newline_delimited', columns={{{spec}}})")


# --- Segment rules as SQL: each returns the count of customers the rule selects. -----------------

def in_last(days, now, alias="e"):
    return f"{alias}.ts > {now - days * D} AND {alias}.ts <= {now}"


def after(a, b):
    """`b` comes after `a` in the customer's event order (time, then arrival)."""
    return f"({b}.ts > {a}.ts OR ({b}.ts = {a}.ts AND {b}.ix > {a}.ix))"


def count_sql(where):
    return f"SELECT count(*) FROM customers c WHERE {where}"


def customers_with(flt, window_sql, having=None):
    sql = f"SELECT e.customer_id FROM events e WHERE {event_filter('e', flt)} AND {window_sql}"
    if having:
        sql += f" GROUP BY e.customer_id HAVING {having}"
    return sql


def segment_sql(name, now, zone):
    big_spenders = customers_with({"event": "purchase"}, in_last(365, now),
                                  "sum(coalesce(e.value, 0)) >= 1000000")
    sqls = {
        "segment: attribute text eq": count_sql("c.region = '서울'"),
        "segment: attribute date in_next_days": count_sql(
            f"{midnight_unix('CAST(c.contract_end AS DATE)', zone)} BETWEEN {now} AND {now + 90 * D}"),
        "segment: performed count + filter": count_sql(
            "c.id IN (" + customers_with({"event": "product_view", "where": [
                {"property": "category", "op": "eq", "value": "fashion"}]}, in_last(180, now),
                "count(*) >= 2") + ")"),
        "segment: not_performed": count_sql(
            "c.id NOT IN (" + customers_with({"event": "visit"}, in_last(30, now)) + ")"),
        "segment: sequence": f"""
            SELECT count(DISTINCT a.customer_id) FROM events a JOIN events b
              ON b.customer_id = a.customer_id AND b.type = 'purchase' AND {after('a', 'b')}
             AND b.ts - a.ts <= {D} AND b.ts <= {now}
            WHERE a.type = 'cart_add' AND {in_last(90, now, 'a')}""",
        "segment: not_followed_by": f"""
            SELECT count(DISTINCT a.customer_id) FROM events a
            WHERE a.type = 'cart_add' AND {in_last(30, now, 'a')} AND a.ts + {D} <= {now}
              AND NOT EXISTS (SELECT 1 FROM events b WHERE b.customer_id = a.customer_id
                              AND b.type = 'purchase' AND {after('a', 'b')} AND b.ts <= a.ts + {D})""",
        "segment: first_performed": f"""
            SELECT count(*) FROM (SELECT customer_id, min(ts) AS t FROM events
                                  WHERE type = 'purchase' AND ts <= {now} GROUP BY customer_id)
            WHERE t > {now - 30 * D}""",
        "segment: last_performed": f"""
            SELECT count(*) FROM (SELECT customer_id, max(ts) AS t FROM events e
                                  WHERE {event_filter('e', {'event': '$activity'})} AND ts <= {now}
                                  GROUP BY customer_id)
            WHERE t > {now - 30 * D}""",
        "segment: aggregate sum": f"SELECT count(*) FROM ({big_spenders})",
        "segment: all/any/none group": count_sql(
            "c.id IN (" + customers_with({"event": "product_view"}, in_last(30, now)) + ")"
            " AND (c.vip IS TRUE OR c.id IN (" + customers_with(
                {"event": "purchase", "where": [{"property": "coupon", "op": "exists"}]},
                in_last(365, now)) + "))"
            " AND c.id NOT IN (" + customers_with({"event": "support_ticket"}, in_last(90, now)) + ")"),
        "segment: segment reference": count_sql(
            f"c.id IN ({big_spenders}) AND c.id NOT IN ("
            + customers_with({"event": "purchase"}, in_last(90, now)) + ")"),
    }
    return sqls.get(name)


# --- Funnel, paths and lifecycle: the core of each answer in plain SQL. -------------------------

def order_key(alias):
    """Events in the customer's order (time, then arrival) as one number."""
    return f"({alias}.ts * 2097152 + {alias}.ix)"


def funnel_sql(q, now):
    """Customers reaching each step of an `ordered` funnel (the furthest step of their best
    attempt): from each entry, the first event of the next step after the previous one, within
    the window."""
    if q.get("mode", "ordered") != "ordered" or q.get("from") or q.get("to"):
        return None
    w = q.get("window", {"days": 14})
    window = w.get("days", 0) * D + w.get("hours", 0) * 3600 + w.get("minutes", 0) * 60
    steps = q["steps"]
    ctes = [f"s1 AS (SELECT e.customer_id AS cid, e.ts AS t1, {order_key('e')} AS k1 FROM events e "
            f"WHERE {event_filter('e', steps[0])} AND e.ts <= {now})"]
    for i in range(2, len(steps) + 1):
        keep = ", ".join(f"p.k{j}" for j in range(1, i))
        ctes.append(f"""s{i} AS (SELECT p.cid, p.t1, {keep}, min({order_key('e')}) AS k{i}
            FROM s{i - 1} p LEFT JOIN events e ON e.customer_id = p.cid AND {event_filter('e', steps[i - 1])}
             AND {order_key('e')} > p.k{i - 1} AND e.ts <= p.t1 + {window} AND e.ts <= {now}
            WHERE p.k{i - 1} IS NOT NULL GROUP BY p.cid, p.t1, {keep})""")
    # s{i} holds the entries that reached step i - 1, with step i's key or NULL: an entry's
    # steps reached are its non-NULL keys, and a customer's best attempt is the most of them.
    best = " UNION ALL ".join(f"SELECT cid, {sum_reached(i)} AS n FROM s{i}" for i in range(1, len(steps) + 1))
    counts = ", ".join(f"count(*) FILTER (WHERE n >= {i})" for i in range(1, len(steps) + 1))
    return (f"WITH {', '.join(ctes)}, best AS (SELECT cid, max(n) AS n FROM ({best}) GROUP BY cid) "
            f"SELECT {counts} FROM best")


def sum_reached(i):
    return " + ".join(f"(k{j} IS NOT NULL)::INT" for j in range(1, i + 1))


def paths_sql(q, now):
    """The `top` step-to-step transitions in the first `steps` events of sessions (cut at gaps
    longer than `session_gap_minutes`), counted in distinct customers. Without the relabelling
    into "(other)"."""
    if q.get("anchor") or q.get("hidden") or q.get("from") or q.get("to") or q.get("events"):
        return None
    gap = q.get("session_gap_minutes", 30) * 60
    steps = q.get("steps", 5)
    top = q.get("top", 50)
    return f"""
    WITH ev AS (SELECT customer_id AS cid, ix, ts, type FROM events e
                WHERE {event_filter('e', {'event': '$activity'})} AND ts <= {now}),
    cut AS (SELECT *, CASE WHEN ts - lag(ts) OVER (PARTITION BY cid ORDER BY ts, ix) <= {gap}
                           THEN 0 ELSE 1 END AS brk FROM ev),
    sess AS (SELECT *, sum(brk) OVER (PARTITION BY cid ORDER BY ts, ix) AS s FROM cut),
    numbered AS (SELECT cid, type,
                        row_number() OVER (PARTITION BY cid, s ORDER BY ts, ix) - 1 AS step,
                        lead(type) OVER (PARTITION BY cid, s ORDER BY ts, ix) AS next FROM sess),
    links AS (SELECT step, type, next, count(DISTINCT cid) AS n FROM numbered
              WHERE step < {steps - 1} AND next IS NOT NULL GROUP BY ALL)
    SELECT * FROM links ORDER BY n DESC, step, type, next LIMIT {top}"""


def lifecycle_sql(q, now, zone, week_start):
    """New, returning, resurrecting and dormant customers per period, over the `periods`
    periods ending with now's."""
    period = q.get("period", "week")
    periods = q.get("periods", 12)
    if q.get("activity"):
        return None
    epoch = "DATE '1970-01-05'" if week_start == "monday" else "DATE '1970-01-04'"

    def index(ts):
        start = period_start(ts, zone, period, week_start)
        return periods_between(epoch if period == "week" else "DATE '1970-01-01'", start, period)
    last = index(str(now))
    first = f"({last} - {periods - 1})"
    return f"""
    WITH cust AS (SELECT id AS cid, {index('created_at')} AS cp FROM customers WHERE created_at <= {now}),
    act AS (SELECT DISTINCT e.customer_id AS cid, {index('e.ts')} AS p FROM events e JOIN cust c ON c.cid = e.customer_id
            WHERE {event_filter('e', {'event': '$activity'})} AND e.ts <= {now}),
    staged AS (
        SELECT a.p, CASE WHEN a.p = c.cp THEN 'new' WHEN b.cid IS NOT NULL THEN 'returning'
                         ELSE 'resurrecting' END AS stage
        FROM act a JOIN cust c USING (cid) LEFT JOIN act b ON b.cid = a.cid AND b.p = a.p - 1
        UNION ALL
        SELECT a.p + 1, 'dormant' FROM act a LEFT JOIN act b ON b.cid = a.cid AND b.p = a.p + 1
        WHERE b.cid IS NULL)
    SELECT stage, count(*) FROM staged WHERE p BETWEEN {first} AND {last} GROUP BY stage ORDER BY stage"""


def timed(work, repeat):
    """Milliseconds of `repeat` calls of `work`, and its last result."""
    runs = []
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = work()
        runs.append((time.perf_counter() - t) * 1e3)
    return runs, out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data")
    parser.add_argument("--queries", default=os.path.join(HERE, "queries.json"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json")
    args = parser.parse_args()
    with open(args.queries, encoding="utf-8") as f:
        queries = json.load(f)

    with tempfile.TemporaryDirectory(prefix="crm-lens-duckdb-") as scratch:
        t = time.perf_counter()
        meta = flatten(args.data, scratch)
        prep_ms = (time.perf_counter() - t) * 1e3
        con = duckdb.connect()
        t = time.perf_counter()
        load(con, scratch)
        load_ms = (time.perf_counter() - t) * 1e3
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    n_customers, = con.execute("SELECT count(*) FROM customers").fetchone()
    n_events, = con.execute("SELECT count(*) FROM events").fetchone()
    zone = meta.get("time_zone", "Asia/Seoul")
    now = unix(meta["as_of"]) if meta.get("as_of") else con.execute("SELECT max(ts) FROM events").fetchone()[0]
    today = datetime.fromtimestamp(now, ZoneInfo(zone)).date()
    print(f"duckdb {duckdb.__version__} ({threads} threads): {n_customers} customers, {n_events} events; "
          f"flatten {prep_ms:.0f} ms (Python, not counted), load {load_ms:.0f} ms")

    results = []
    for item in queries:
        name, q = item["name"], item["query"]
        if q["kind"] == "retention":
            period = q.get("period", "week")
            if period != "week" or q.get("from"):
                raise SystemExit(f"{name}: only weekly retention with `cohorts` is mapped to SQL here")
            spec = dict(q, **{"from": (today - timedelta(weeks=q.get("cohorts", 12) - 1)).isoformat(),
                              "to": today.isoformat()})

            def work(spec=spec):
                return matrix(con, spec, zone, q.get("week_start", "monday"), now)

            def check(out):
                cells, sizes = out
                return {"cohorts": len(sizes), "customers": sum(sizes.values()),
                        "column_1": sum(v[0] for (r, c), v in cells.items() if c == 1)}
        else:
            week_start = q.get("week_start", "monday")
            sql = {"segment": lambda: segment_sql(name, now, zone),
                   "funnel": lambda: funnel_sql(q, now),
                   "paths": lambda: paths_sql(q, now),
                   "lifecycle": lambda: lifecycle_sql(q, now, zone, week_start)}.get(q["kind"], lambda: None)()
            if sql is None:
                print(f"{name}: no SQL for this query; skipped", file=sys.stderr)
                continue

            def work(sql=sql):
                return con.execute(sql).fetchall()

            if q["kind"] == "segment":
                def check(out):
                    return {"count": out[0][0]}
            elif q["kind"] == "funnel":
                def check(out):
                    return {"steps": list(out[0])}
            elif q["kind"] == "lifecycle":
                def check(out):
                    return dict(out)
            else:
                # Not compared: the SQL has the top transitions, not the relabelled nodes and links.
                def check(out):
                    return None
        runs, out = timed(work, args.repeat)
        result = {"name": name, "median_ms": statistics.median(runs), "min_ms": min(runs),
                  "runs_ms": runs, "check": check(out)}
        if q["kind"] == "segment":
            # Also the differential suite's SQL (one correlated expression per customer): DuckDB's
            # time is the faster of the two, and both must select as many customers.
            spec_runs, (ids, _) = timed(lambda: segments.members(con, q, zone, now), args.repeat)
            result["set_sql_ms"] = result["median_ms"]
            result["suite_sql_ms"] = statistics.median(spec_runs)
            result["suite_check"] = {"count": len(ids)}
            if result["suite_sql_ms"] < result["median_ms"]:
                result["median_ms"], result["min_ms"], result["runs_ms"] = \
                    result["suite_sql_ms"], min(spec_runs), spec_runs
            if result["suite_check"] != result["check"]:
                print(f"{name}: the two SQL versions disagree: {result['check']} vs {result['suite_check']}",
                      file=sys.stderr)
        results.append(result)
        extra = f"  (set SQL {result['set_sql_ms']:.2f}, suite SQL {result['suite_sql_ms']:.2f})" \
            if "suite_sql_ms" in result else ""
        print(f"{name:<40} {result['median_ms']:>10.2f} {result['min_ms']:>10.2f}  "
              f"{json.dumps(result['check'])}{extra}")

    report = {"duckdb": duckdb.__version__, "threads": threads, "customers": n_customers, "events": n_events,
              "flatten_ms": prep_ms, "load_ms": load_ms, "queries": results}
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=2, ensure_ascii=False)


if __name__ == "__main__":
    main()
