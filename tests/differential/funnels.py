"""Funnels in SQL (docs/query-spec.md, `funnel` and `funnel_customers`), compared per step,
per breakdown group, by median time to convert and as customer id sets.

Written from the spec and the module doc of src/engine/funnel.rs, not from the Rust code. Every
attempt is followed in SQL: `ordered` takes the earliest matching event after the previous
step's, `strict` the very next relevant event (activity or matching any step), `any_order`
the earliest event per step inside the window; a customer's result is their best attempt.
"""

from breakdowns import group_labels
from segments import instant
from sql_common import event_filter

D = 86400


def window_seconds(w):
    return w.get("days", 0) * D + w.get("hours", 0) * 3600 + w.get("minutes", 0) * 60


def attempts_sql(query, zone, now):
    """SQL selecting (cid, reached, done) per attempt, `done` = completion − entry (NULL when
    the attempt does not reach the last step), and `cdone` = completion time, `n0` = entry order."""
    steps = query["steps"]
    k = len(steps)
    mode = query.get("mode", "ordered")
    w = window_seconds(query.get("window", {"days": 14}))
    rng = []
    if "from" in query:
        rng.append(f"e.ts >= {instant(query['from'], zone)}")
    if "to" in query:
        rng.append(f"e.ts < {instant(query['to'], zone)}")
    in_range = " AND ".join(rng) if rng else "TRUE"
    any_step = " OR ".join(f"({event_filter('e', s)})" for s in steps)
    base = (f"ev AS (SELECT customer_id AS cid, ix, ts, type, value, coupon, category, score, channel, "
            f"row_number() OVER (PARTITION BY customer_id ORDER BY ts, ix) AS n "
            f"FROM events e WHERE ts <= {now} AND customer_id IN (SELECT id FROM customers)")
    if mode == "strict":
        # Only the relevant events are numbered: activity, or matching any step.
        base += f" AND (e.type <> 'message_sent' OR {any_step})"
    base += ")"
    ctes = [base]
    if mode in ("ordered", "strict"):
        ctes.append(f"s1 AS (SELECT cid, n AS n0, ts AS t0, n AS n, ts AS t FROM ev e "
                    f"WHERE {event_filter('e', steps[0])} AND {in_range})")
        for j in range(2, k + 1):
            f = event_filter('e', steps[j - 1])
            if mode == "ordered":
                ctes.append(f"s{j} AS (SELECT s.cid, s.n0, s.t0, min(e.n) AS n, min(e.ts) AS t "
                            f"FROM s{j - 1} s JOIN ev e ON e.cid = s.cid AND e.n > s.n "
                            f"AND e.ts <= s.t0 + {w} AND {f} GROUP BY s.cid, s.n0, s.t0)")
            else:
                ctes.append(f"s{j} AS (SELECT s.cid, s.n0, s.t0, e.n AS n, e.ts AS t "
                            f"FROM s{j - 1} s JOIN ev e ON e.cid = s.cid AND e.n = s.n + 1 "
                            f"AND e.ts <= s.t0 + {w} AND {f})")
        reached = " + ".join(f"(s{j}.n0 IS NOT NULL)::INT" for j in range(2, k + 1))
        joins = " ".join(f"LEFT JOIN s{j} ON s{j}.cid = s1.cid AND s{j}.n0 = s1.n0" for j in range(2, k + 1))
        ctes.append(f"att AS (SELECT s1.cid, s1.n0, 1 + {reached} AS reached, s{k}.t AS cdone, "
                    f"s{k}.t - s1.t0 AS done FROM s1 {joins})")
    else:
        firsts = []
        for j, s in enumerate(steps):
            firsts.append(f"(SELECT min(e.ts) FROM ev e WHERE e.cid = a.cid AND e.ts >= a.t0 "
                          f"AND e.ts <= a.t0 + {w} AND {event_filter('e', s)}) AS m{j}")
        ctes.append(f"entries AS (SELECT cid, n AS n0, ts AS t0 FROM ev e WHERE ({any_step}) AND {in_range})")
        ctes.append(f"firsts AS (SELECT a.cid, a.n0, a.t0, {', '.join(firsts)} FROM entries a)")
        reached = " + ".join(f"(m{j} IS NOT NULL)::INT" for j in range(k))
        complete = " AND ".join(f"m{j} IS NOT NULL" for j in range(k))
        latest = f"greatest({', '.join(f'm{j}' for j in range(k))})"
        ctes.append(f"att AS (SELECT cid, n0, {reached} AS reached, "
                    f"CASE WHEN {complete} THEN {latest} END AS cdone, "
                    f"CASE WHEN {complete} THEN {latest} - t0 END AS done FROM firsts)")
    # Per customer: the best attempt, and the time of the earliest-completing complete attempt
    # (ties: the earlier entry).
    ctes.append("ranked AS (SELECT cid, reached, done, row_number() OVER (PARTITION BY cid "
                "ORDER BY cdone NULLS LAST, n0) AS rk FROM att)")
    ctes.append("best AS (SELECT cid, max(reached) AS reached, "
                "max(CASE WHEN rk = 1 THEN done END) AS done FROM ranked GROUP BY cid)")
    return "WITH " + ",\n".join(ctes)


def per_customer(con, query, zone, now):
    """{customer id: (steps reached, seconds to convert or None)}."""
    sql = attempts_sql(query, zone, now) + " SELECT cid, reached, done FROM best"
    return {cid: (r, d) for cid, r, d in con.execute(sql).fetchall()}


def figures(best, members, k):
    counts = [sum(1 for c in members if c in best and best[c][0] >= j) for j in range(1, k + 1)]
    times = sorted(float(best[c][1]) for c in members if c in best and best[c][0] == k)
    median = None
    if times:
        m = len(times) // 2
        median = times[m] if len(times) % 2 else (times[m - 1] + times[m]) / 2
    return counts, median


def compare_figures(where, result, counts, median, problems):
    got = [s["customers"] for s in result["steps"]]
    if got != counts:
        problems.append(f"{where}: customers per step engine {got} vs SQL {counts}")
    dropped = [0] + [counts[i - 1] - counts[i] for i in range(1, len(counts))]
    got_dropped = [s["dropped"] for s in result["steps"]]
    if got_dropped != dropped:
        problems.append(f"{where}: dropped engine {got_dropped} vs SQL {dropped}")
    m = result.get("median_seconds_to_convert")
    if (m is None) != (median is None) or (m is not None and abs(m - median) > 1e-9):
        problems.append(f"{where}: median engine {m} vs SQL {median}")
    converted = sum(b["customers"] for b in result.get("time_to_convert", []))
    if converted != counts[-1]:
        problems.append(f"{where}: histogram holds {converted} customers vs SQL converted {counts[-1]}")


def compare(con, query, output, zone, week_start, now):
    if "kind" not in output and "path" in output:
        return [f"engine error {output}"]
    best = per_customer(con, query, zone, now)
    everyone = [r[0] for r in con.execute("SELECT id FROM customers ORDER BY ix").fetchall()]
    k = len(query["steps"])
    problems = []
    if query["kind"] == "funnel_customers":
        step = query["step"] + 1
        if query.get("dropped", False):
            expected = [c for c in everyone if c in best and best[c][0] == step - 1]
        else:
            expected = [c for c in everyone if c in best and best[c][0] >= step]
        got = output["customers"]
        if set(got) != set(expected) or output["count"] != len(expected):
            only_e = sorted(set(got) - set(expected))[:5]
            only_s = sorted(set(expected) - set(got))[:5]
            problems.append(f"customers: engine {output['count']} vs SQL {len(expected)}; "
                            f"only engine {only_e}, only SQL {only_s}")
        elif got != expected:
            problems.append("customers: same set, not in store order")
        return problems
    counts, median = figures(best, everyone, k)
    compare_figures("all", output, counts, median, problems)
    if "breakdown" in query:
        groups = group_labels(con, query["breakdown"])
        engine = {g["label"]: g for g in output["groups"]}
        for label, members in groups.items():
            if label not in engine:
                problems.append(f"group {label!r} ({len(members)} customers) only in SQL")
                continue
            counts, median = figures(best, members, k)
            compare_figures(f"group {label!r}", engine[label], counts, median, problems)
        for label in engine:
            if label not in groups:
                problems.append(f"group {label!r} only in engine")
        order = [g["label"] for g in output["groups"]]
        if order != list(groups):
            problems.append(f"group order engine {order} vs SQL {list(groups)}")
    return problems


def cases(as_of_date, meta):
    from datetime import timedelta
    d = lambda n: (as_of_date - timedelta(days=n)).isoformat()  # noqa: E731
    attr = "region" if any(a["name"] == "region" for a in meta.get("attributes", [])) else "plan"
    shapes = [
        ([{"event": "visit"}, {"event": "purchase"}], {"days": 7}, {}),
        ([{"event": "visit"}, {"event": "product_view"}, {"event": "cart_add"}, {"event": "purchase"}],
         {"days": 14}, {"from": d(60), "to": d(10)}),
        ([{"event": "cart_add"}, {"event": "purchase"}], {"days": 1}, {"from": d(45)}),
        ([{"event": "product_view", "where": [{"property": "category", "op": "in", "values": ["shoes", "bags", "fashion"]}]},
          {"event": "cart_add"}, {"event": "purchase", "where": [{"property": "coupon", "op": "exists"}]}],
         {"days": 3, "hours": 12}, {"to": d(20)}),
        ([{"event": "visit"}, {"event": "visit"}, {"event": "purchase"}], {"hours": 1}, {}),
        ([{"event": "$activity"}, {"event": "message_sent"}, {"event": "$any"}], {"minutes": 30}, {"from": d(90)}),
        ([{"event": "signup"}, {"event": "product_view"}, {"event": "purchase"}, {"event": "purchase"}],
         {"days": 30}, {}),
        ([{"event": "purchase"}, {"event": "refund"}], {"minutes": 1}, {}),
    ]
    out = []
    for i, (steps, window, rng) in enumerate(shapes):
        for mode in ("ordered", "strict", "any_order"):
            q = dict({"kind": "funnel", "steps": steps, "window": window, "mode": mode}, **rng)
            if i in (0, 3):
                q["breakdown"] = {"by": "attribute", "attribute": attr, "limit": 3}
            if i == 1 and mode == "ordered":
                q["breakdown"] = {"by": "attribute", "attribute": "plan", "limit": 1}
            out.append(q)
    # Default mode and window.
    out.append({"kind": "funnel", "steps": [{"event": "product_view"}, {"event": "purchase"}]})
    for step, dropped in ((1, False), (1, True), (2, True), (3, False), (0, False)):
        for mode in ("ordered", "strict", "any_order"):
            out.append({"kind": "funnel_customers", "mode": mode, "window": {"days": 7}, "from": d(60),
                        "steps": [{"event": "visit"}, {"event": "product_view"}, {"event": "cart_add"},
                                  {"event": "purchase"}], "step": step, "dropped": dropped})
    return out
