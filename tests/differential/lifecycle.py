"""Lifecycle in SQL (docs/query-spec.md, `lifecycle` and `lifecycle_customers`): per period,
new / returning / resurrecting / dormant customers, compared per period start and breakdown group.

Written from the spec and the module doc of src/engine/lifecycle.rs, not from the Rust code.

The spec calls a period's `index` "the period number" without defining it; the numbering checked
here (and used to address `lifecycle_customers`) is the engine's, read off its results: days since
1970-01-01; weeks since Monday 1969-12-29 of the week's first day (for Sunday weeks too); months
as year × 12 + month − 1.
"""

from datetime import date, timedelta

from breakdowns import group_labels
from sql_common import add_periods, event_filter, period_start

STAGES = ("new", "returning", "resurrecting", "dormant")


def period_index(start, period, week_start):
    """The number of the period starting on the date `start` (see the module doc)."""
    if period == "month":
        return start.year * 12 + start.month - 1
    days = (start - date(1970, 1, 1)).days
    if period == "day":
        return days
    # Weeks since Monday 1969-12-29 (the Monday week containing 1970-01-01) of the week's first
    # day, for either week start: a Sunday week has the number of the Monday week its Sunday ends.
    return (days + 3) // 7


def stages(con, query, zone, week_start, now):
    """[(period start DATE, customer id, stage)] for the report's periods."""
    period = query.get("period", "week")
    n = query.get("periods", 12)
    activity = query.get("activity", {"event": "$activity"})
    now_p = period_start(now, zone, period, week_start)
    sql = f"""
    WITH per AS (SELECT k, {add_periods(now_p, '-k', period)} AS p FROM range(0, {n}) t(k)),
    cust AS (SELECT id, {period_start('created_at', zone, period, week_start)} AS cp
             FROM customers WHERE created_at <= {now}),
    act AS (SELECT DISTINCT e.customer_id AS cid, {period_start('e.ts', zone, period, week_start)} AS p
            FROM events e WHERE e.ts <= {now} AND {event_filter('e', activity)}),
    flags AS (
        SELECT per.p, c.id, c.cp = per.p AS creation,
               EXISTS (SELECT 1 FROM act a WHERE a.cid = c.id AND a.p = per.p) AS now_active,
               EXISTS (SELECT 1 FROM act b WHERE b.cid = c.id AND b.p = {add_periods('per.p', -1, period)}) AS before
        FROM per CROSS JOIN cust c)
    SELECT p, id, CASE WHEN now_active AND creation THEN 'new'
                       WHEN now_active AND before THEN 'returning'
                       WHEN now_active THEN 'resurrecting'
                       WHEN before THEN 'dormant' END AS stage
    FROM flags ORDER BY p"""
    return [(p, cid, s) for p, cid, s in con.execute(sql).fetchall() if s is not None]


def compare_table(where, periods, rows, members, period, week_start, problems):
    """rows: [(start DATE, id, stage)]; members: a set of ids or None (everyone)."""
    counts = {}
    for p, cid, s in rows:
        if members is None or cid in members:
            counts.setdefault(p.isoformat(), dict.fromkeys(STAGES, 0))[s] += 1
    starts = sorted({p.isoformat() for p, _, _ in rows} | set(counts))
    got_starts = [r["start"] for r in periods]
    for i, r in enumerate(periods):
        want = counts.get(r["start"], dict.fromkeys(STAGES, 0))
        got = {s: r[s] for s in STAGES}
        if got != want:
            problems.append(f"{where} {r['start']}: engine {got} vs SQL {want}")
        if r["complete"] != (i < len(periods) - 1):
            problems.append(f"{where} {r['start']}: complete {r['complete']}")
        want_index = period_index(date.fromisoformat(r["start"]), period, week_start)
        if r["index"] != want_index:
            problems.append(f"{where} {r['start']}: index engine {r['index']} vs {want_index}")
    for s in starts:
        if s not in got_starts:
            problems.append(f"{where}: period {s} only in SQL")


def compare(con, query, output, zone, week_start, now):
    if "kind" not in output and "path" in output:
        return [f"engine error {output}"]
    period = query.get("period", "week")
    rows = stages(con, query, zone, week_start, now)
    problems = []
    if query["kind"] == "lifecycle_customers":
        want = [cid for p, cid, s in rows
                if s == query["stage"] and period_index(p, period, week_start) == query["period_index"]]
        order = {r[0]: r[1] for r in con.execute("SELECT id, ix FROM customers").fetchall()}
        want.sort(key=order.get)
        got = output["customers"]
        if set(got) != set(want) or output["count"] != len(want):
            problems.append(f"customers: engine {output['count']} vs SQL {len(want)}; only engine "
                            f"{sorted(set(got) - set(want))[:5]}, only SQL {sorted(set(want) - set(got))[:5]}")
        elif got != want:
            problems.append("customers: same set, not in store order")
        return problems
    if len(output["periods"]) != query.get("periods", 12):
        problems.append(f"{len(output['periods'])} periods")
    compare_table("all", output["periods"], rows, None, period, week_start, problems)
    if "breakdown" in query:
        groups = group_labels(con, query["breakdown"])
        engine = {g["label"]: g for g in output["groups"]}
        if [g["label"] for g in output["groups"]] != list(groups):
            problems.append(f"groups engine {[g['label'] for g in output['groups']]} vs SQL {list(groups)}")
        for label, ids in groups.items():
            if label in engine:
                compare_table(f"group {label!r}", engine[label]["periods"], rows, set(ids), period,
                              week_start, problems)
    return problems


def cases(as_of_date, meta):
    attr = "region" if any(a["name"] == "region" for a in meta.get("attributes", [])) else "plan"
    out = []
    for period, n in (("day", 21), ("week", 12), ("month", 6)):
        for week_start in ("monday", "sunday"):
            for activity in (None, {"event": "purchase"}):
                q = {"kind": "lifecycle", "period": period, "periods": n, "week_start": week_start}
                if activity:
                    q["activity"] = activity
                elif week_start == "monday":
                    q["breakdown"] = {"by": "attribute", "attribute": attr, "limit": 2}
                out.append(q)
    out.append({"kind": "lifecycle"})
    out.append({"kind": "lifecycle", "period": "week", "periods": 8,
                "activity": {"event": "visit", "where": [{"property": "category", "op": "exists"}]}})
    # The customers behind a few cells: periods well inside the report in any zone.
    for period, back, week_start, stage in (("week", 3, "monday", "dormant"), ("week", 2, "sunday", "returning"),
                                            ("month", 1, "monday", "resurrecting"), ("day", 4, "monday", "new"),
                                            ("month", 2, "monday", "new")):
        if period == "month":
            m = as_of_date.year * 12 + as_of_date.month - 1 - back
            start = date(m // 12, m % 12 + 1, 1)
        elif period == "week":
            start = as_of_date - timedelta(weeks=back)
        else:
            start = as_of_date - timedelta(days=back)
        out.append({"kind": "lifecycle_customers", "period": period, "periods": 12, "week_start": week_start,
                    "period_index": period_index(start, period, week_start), "stage": stage})
    return out
