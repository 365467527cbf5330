"""Retention matrices in SQL (docs/query-spec.md, `retention`), compared cell by cell."""

from sql_common import (add_periods, date_period_start, event_filter, midnight_unix,
                        period_start, periods_between)

ROLLING = {"day": 86400, "week": 7 * 86400, "month": 30 * 86400}


def columns_of(spec):
    if spec.get("brackets"):
        return [(0, 0)] + [tuple(b) for b in spec["brackets"]]
    return [(k, k) for k in range(spec.get("periods", 12) + 1)]


def matrix(con, spec, zone, week_start, now):
    """{(row_start, column): (customers, value)} and {row_start: size} for a retention spec
    that names `from` and `to`."""
    period = spec.get("period", "week")
    start = spec.get("start", {"event": "$signup"})
    ret = spec.get("return", {"event": "$activity"})
    cohort = spec.get("cohort", "first_time")
    rolling = spec.get("windows", "calendar") == "rolling"
    counting = spec.get("counting", "on")
    min_occ = spec.get("min_occurrences", 1)
    columns = columns_of(spec)
    first = date_period_start(f"DATE '{spec['from']}'", period, week_start)
    last = date_period_start(f"DATE '{spec['to']}'", period, week_start)
    now_p = period_start(now, zone, period, week_start)
    in_rows = f"r BETWEEN {first} AND {last}"
    if start["event"] == "$signup":
        starts = (f"SELECT id AS cid, created_at AS s, {period_start('created_at', zone, period, week_start)} AS r "
                  f"FROM customers WHERE created_at <= {now}")
    else:
        starts = (f"SELECT e.customer_id AS cid, e.ts AS s, {period_start('e.ts', zone, period, week_start)} AS r "
                  f"FROM events e WHERE e.ts <= {now} AND {event_filter('e', start)}")
    if cohort == "first_time":
        anchors = f"SELECT cid, min(s) AS s, arg_min(r, s) AS r FROM starts WHERE {in_rows} GROUP BY cid"
    elif cohort == "first_ever":
        anchors = (f"SELECT * FROM (SELECT cid, min(s) AS s, arg_min(r, s) AS r FROM starts GROUP BY cid) "
                   f"WHERE {in_rows}")
    else:
        anchors = f"SELECT cid, r, min(s) AS s FROM starts WHERE {in_rows} GROUP BY cid, r"
    if rolling:
        offset = f"(e.ts - a.s) // {ROLLING[period]}"
    else:
        offset = periods_between("a.r", period_start("e.ts", zone, period, week_start), period)
    cols = " UNION ALL ".join(f"SELECT {i} AS c, {a} AS lo, {b} AS hi" for i, (a, b) in enumerate(columns))
    if rolling:
        L = ROLLING[period]
        started = f"{midnight_unix('a.r', zone)} + cols.lo * {L} <= {now}"
        complete = f"{midnight_unix(add_periods('a.r', 1, period), zone)} + (cols.hi + 1) * {L} <= {now}"
    else:
        elapsed = periods_between("a.r", now_p, period)
        started = f"{elapsed} >= cols.lo"
        complete = f"{elapsed} > cols.hi"
    sql = f"""
    WITH starts AS ({starts}),
    anchors AS ({anchors}),
    cols AS ({cols}),
    returns AS (
        SELECT a.cid, a.r, {offset} AS k, e.value
        FROM anchors a JOIN events e ON e.customer_id = a.cid
        WHERE e.ts >= a.s AND e.ts <= {now} AND {event_filter('e', ret)}),
    state AS (SELECT a.cid, a.r, cols.c, cols.lo, cols.hi, ({started}) AS started, ({complete}) AS complete
              FROM anchors a CROSS JOIN cols),
    per_col AS (
        SELECT st.cid, st.r, st.c, st.started, st.complete,
               count(x.k) AS n, coalesce(sum(x.value), 0) AS v
        FROM state st LEFT JOIN returns x ON x.cid = st.cid AND x.r = st.r AND x.k BETWEEN st.lo AND st.hi
        GROUP BY ALL),
    qualified AS (SELECT *, (n >= {min_occ}) AS q FROM per_col),
    last_q AS (SELECT cid, r, max(CASE WHEN q AND started THEN c END) AS last_c FROM qualified GROUP BY cid, r),
    counted AS (
        SELECT q.r, q.c, q.started, q.complete, q.v,
               CASE WHEN q.c = 0 THEN TRUE
                    WHEN '{counting}' = 'on' THEN q.q
                    ELSE coalesce(l.last_c >= q.c, FALSE) END AS counts
        FROM qualified q JOIN last_q l ON l.cid = q.cid AND l.r = q.r)
    SELECT CAST(r AS VARCHAR), c, bool_or(started), bool_and(complete),
           count(*) FILTER (WHERE counts), sum(v)
    FROM counted GROUP BY r, c ORDER BY r, c"""
    cells = {}
    sizes = {}
    for r, c, started, complete, customers, value in con.execute(sql).fetchall():
        if c == 0:
            sizes[r] = customers
        if started:
            cells[(r, c)] = (customers, float(value), complete)
    return cells, sizes


def compare(con, spec, output, zone, week_start, now):
    """Differences between the engine's table and SQL's, as readable strings (empty = equal)."""
    cells, sizes = matrix(con, spec, zone, week_start, now)
    problems = []
    table = output["tables"][0]
    for row in table["rows"]:
        r = row["start"]
        if row["size"] != sizes.get(r, 0):
            problems.append(f"row {r}: size engine {row['size']} vs SQL {sizes.get(r, 0)}")
        for c, cell in enumerate(row["cells"]):
            expected = cells.get((r, c))
            if row["size"] == 0 and expected is None:
                # SQL has no rows for an empty cohort; the engine shows its started cells as 0.
                if cell is not None and (cell["customers"] != 0 or cell["value"] != 0):
                    problems.append(f"cell {r}/{c}: engine {cell} for an empty cohort")
                continue
            if cell is None and expected is None:
                continue
            if (cell is None) != (expected is None):
                problems.append(f"cell {r}/{c}: engine {cell} vs SQL {expected}")
                continue
            customers, value, complete = expected
            if (cell["customers"], cell["complete"]) != (customers, complete) or abs(cell["value"] - value) > 1e-6:
                problems.append(f"cell {r}/{c}: engine {(cell['customers'], cell['value'], cell['complete'])} "
                                f"vs SQL {(customers, value, complete)}")
    engine_rows = {row["start"] for row in table["rows"]}
    for r in sizes:
        if r not in engine_rows:
            problems.append(f"row {r} only in SQL")
    return problems


def cases(as_of_date, meta=None):
    """Retention specs covering each cohort type, period, window kind and counting, with
    brackets, minimum occurrences and filtered start/return events. `as_of_date` is a
    datetime.date inside the data; `meta` (the dataset's) is not needed here."""
    from datetime import timedelta
    ranges = {"day": (as_of_date - timedelta(days=20), as_of_date, 10),
              "week": (as_of_date - timedelta(weeks=15), as_of_date, 8),
              "month": (as_of_date - timedelta(days=130), as_of_date, 4)}
    out = []
    for period, (first, last, periods) in ranges.items():
        base = {"kind": "retention", "period": period, "periods": periods,
                "from": first.isoformat(), "to": last.isoformat()}
        for cohort in ("first_time", "recurring", "first_ever"):
            for windows in ("calendar", "rolling"):
                for counting in ("on", "on_or_after"):
                    start = {"event": "$signup"} if cohort == "first_time" and windows == "calendar" \
                        else {"event": "purchase"}
                    out.append(dict(base, cohort=cohort, windows=windows, counting=counting, start=start,
                                    **{"return": {"event": "purchase"} if counting == "on" else {"event": "$activity"}}))
        out.append(dict(base, brackets=[[1, 2], [3, 5], [6, 9]], min_occurrences=2, counting="on_or_after"))
        out.append(dict(base, start={"event": "visit", "where": [{"property": "category", "op": "eq", "value": "shoes"}]},
                        cohort="recurring",
                        **{"return": {"event": "purchase", "where": [{"property": "coupon", "op": "exists"}]}}))
        out.append(dict(base, week_start="sunday", windows="rolling", min_occurrences=2))
    return out
