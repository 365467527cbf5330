"""Paths in SQL (docs/query-spec.md, `paths`): sessions, one path per session, the top
transitions, `(other)` relabelling; nodes and links compared as sets of distinct-customer counts.

Written from the spec and the module doc of src/engine/paths.rs, not from the Rust code.
"""

from segments import instant
from sql_common import event_filter, literal


def path_events_sql(query, zone, now):
    """SQL selecting (cid, sess, step, type) of every event on a path, paths of one event dropped."""
    steps = query.get("steps", 5)
    gap = query.get("session_gap_minutes", 30) * 60
    anchor = query.get("anchor", {"at": "none"})
    events = query.get("events", {"event": "$activity"})
    conds = [f"e.ts <= {now}", "e.customer_id IN (SELECT id FROM customers)"]
    if "from" in query:
        conds.append(f"e.ts >= {instant(query['from'], zone)}")
    if "to" in query:
        conds.append(f"e.ts < {instant(query['to'], zone)}")
    if query.get("hidden"):
        conds.append(f"e.type NOT IN ({', '.join(literal(t) for t in query['hidden'])})")
    is_anchor = event_filter("e", anchor["event"]) if anchor["at"] != "none" else "FALSE"
    conds.append(f"(({event_filter('e', events)}) OR ({is_anchor}))")
    sql = f"""
    WITH ev AS (
        SELECT e.customer_id AS cid, e.ix, e.ts, e.type, ({is_anchor}) AS anchor,
               e.ts - lag(e.ts) OVER (PARTITION BY e.customer_id ORDER BY e.ts, e.ix) AS since
        FROM events e WHERE {' AND '.join(conds)}),
    sessions AS (
        SELECT *, sum(CASE WHEN since IS NULL OR since > {gap} THEN 1 ELSE 0 END)
                  OVER (PARTITION BY cid ORDER BY ts, ix ROWS UNBOUNDED PRECEDING) AS sess
        FROM ev),
    positioned AS (
        SELECT *, row_number() OVER (PARTITION BY cid, sess ORDER BY ts, ix) - 1 AS pos FROM sessions),
    numbered AS (
        SELECT *, min(CASE WHEN anchor THEN pos END) OVER (PARTITION BY cid, sess) AS a FROM positioned),"""
    if anchor["at"] == "none":
        on_path = f"SELECT cid, sess, pos AS step, type FROM numbered WHERE pos < {steps}"
    elif anchor["at"] == "start":
        on_path = (f"SELECT cid, sess, pos - a AS step, type FROM numbered "
                   f"WHERE a IS NOT NULL AND pos >= a AND pos <= a + {steps - 1}")
    else:
        on_path = (f"SELECT cid, sess, pos - a + {steps - 1} AS step, type FROM numbered "
                   f"WHERE a IS NOT NULL AND pos <= a AND pos >= a - {steps - 1}")
    sql += f"""
    on_path AS ({on_path}),
    paths AS (SELECT * FROM on_path WHERE (cid, sess) IN
              (SELECT (cid, sess) FROM on_path GROUP BY cid, sess HAVING count(*) >= 2))"""
    return sql


def expected(con, query, zone, now):
    top = query.get("top", 50)
    base = path_events_sql(query, zone, now)
    sql = base + f""",
    raw AS (SELECT a.cid, a.step, a.type AS src, b.type AS tgt FROM paths a JOIN paths b
            ON b.cid = a.cid AND b.sess = a.sess AND b.step = a.step + 1),
    kept AS (SELECT step, src, tgt FROM raw GROUP BY step, src, tgt
             ORDER BY count(DISTINCT cid) DESC, step, src, tgt LIMIT {top}),
    shown AS (SELECT step, src AS type FROM kept UNION SELECT step + 1, tgt FROM kept),
    relabelled AS (SELECT p.cid, p.sess, p.step,
                          CASE WHEN s.type IS NULL THEN '(other)' ELSE p.type END AS label
                   FROM paths p LEFT JOIN shown s ON s.step = p.step AND s.type = p.type)
    SELECT 'node', step, label, NULL, count(DISTINCT cid) FROM relabelled GROUP BY step, label
    UNION ALL
    SELECT 'link', a.step, a.label, b.label, count(DISTINCT a.cid) FROM relabelled a JOIN relabelled b
        ON b.cid = a.cid AND b.sess = a.sess AND b.step = a.step + 1 GROUP BY a.step, a.label, b.label
    UNION ALL
    SELECT 'customers', NULL, NULL, NULL, count(DISTINCT cid) FROM paths"""
    nodes, links, customers = {}, {}, 0
    for kind, step, label, target, n in con.execute(sql).fetchall():
        if kind == "node":
            nodes[(step, label)] = n
        elif kind == "link":
            links[(step, label, target)] = n
        else:
            customers = n
    return nodes, links, customers


def members(con, query, zone, now):
    """The ids behind a paths_customers query (a node, or a link with `target`)."""
    top = query.get("top", 50)
    base = path_events_sql(query, zone, now)
    link = "target" in query
    sql = base + f""",
    raw AS (SELECT a.cid, a.step, a.type AS src, b.type AS tgt FROM paths a JOIN paths b
            ON b.cid = a.cid AND b.sess = a.sess AND b.step = a.step + 1),
    kept AS (SELECT step, src, tgt FROM raw GROUP BY step, src, tgt
             ORDER BY count(DISTINCT cid) DESC, step, src, tgt LIMIT {top}),
    shown AS (SELECT step, src AS type FROM kept UNION SELECT step + 1, tgt FROM kept),
    relabelled AS (SELECT p.cid, p.sess, p.step,
                          CASE WHEN s.type IS NULL THEN '(other)' ELSE p.type END AS label
                   FROM paths p LEFT JOIN shown s ON s.step = p.step AND s.type = p.type)
    SELECT DISTINCT a.cid FROM relabelled a
    {"JOIN relabelled b ON b.cid = a.cid AND b.sess = a.sess AND b.step = a.step + 1" if link else ""}
    WHERE a.step = {query['step']} AND a.label = {literal(query['label'])}
    {f"AND b.label = {literal(query['target'])}" if link else ""}"""
    return {r[0] for r in con.execute(sql).fetchall()}


def compare(con, query, output, zone, week_start, now):
    if "kind" not in output and "path" in output:
        return [f"engine error {output}"]
    problems = []
    if query["kind"] == "paths_customers":
        want = members(con, query, zone, now)
        got = set(output["customers"])
        if got != want or output["count"] != len(want):
            problems.append(f"customers: engine {output['count']} vs SQL {len(want)}; "
                            f"only engine {sorted(got - want)[:5]}, only SQL {sorted(want - got)[:5]}")
        return problems
    nodes, links, customers = expected(con, query, zone, now)
    if output["customers"] != customers:
        problems.append(f"customers: engine {output['customers']} vs SQL {customers}")
    got_nodes = {(n["step"], n["label"]): n["customers"] for n in output["nodes"]}
    if len(got_nodes) != len(output["nodes"]):
        problems.append("duplicate nodes in the engine's result")
    got_links = {}
    for l in output["links"]:
        s, t = output["nodes"][l["source"]], output["nodes"][l["target"]]
        if t["step"] != s["step"] + 1:
            problems.append(f"link {s} -> {t} does not go one step forward")
        got_links[(s["step"], s["label"], t["label"])] = l["customers"]
    if len(got_links) != len(output["links"]):
        problems.append("duplicate links in the engine's result")
    for name, got, want in (("node", got_nodes, nodes), ("link", got_links, links)):
        for key in sorted(set(got) | set(want), key=str):
            if got.get(key) != want.get(key):
                problems.append(f"{name} {key}: engine {got.get(key)} vs SQL {want.get(key)}")
    return problems


def cases(as_of_date, meta):
    from datetime import timedelta
    d = lambda n: (as_of_date - timedelta(days=n)).isoformat()  # noqa: E731
    out = []
    anchors = [{"at": "none"}, {"at": "start", "event": {"event": "visit"}},
               {"at": "end", "event": {"event": "purchase"}},
               {"at": "start", "event": {"event": "cart_add", "where": [{"property": "category", "op": "in", "values": ["shoes", "fashion"]}]}},
               {"at": "end", "event": {"event": "message_sent"}}]
    for i, anchor in enumerate(anchors):
        for steps, gap, top in ((3, 30, 5), (5, 5, 50), (4, 30, 50), (5, 30, 3)):
            q = {"kind": "paths", "anchor": anchor, "steps": steps, "session_gap_minutes": gap, "top": top}
            if steps == 4:
                q["hidden"] = ["product_view"]
            if (i + steps) % 2 == 0:
                q["from"] = d(60)
            if steps == 3:
                q["to"] = d(5)
            out.append(q)
    out.append({"kind": "paths"})
    out.append({"kind": "paths", "events": {"event": "$any"}, "hidden": ["signup"], "steps": 2, "top": 4})
    out.append({"kind": "paths", "session_gap_minutes": 1, "steps": 10, "top": 10})
    for step, label, target in ((1, "product_view", None), (1, "(other)", None), (0, "visit", "product_view"),
                                (2, "(other)", "(other)")):
        q = {"kind": "paths_customers", "steps": 4, "top": 5, "step": step, "label": label}
        if target:
            q["target"] = target
        out.append(q)
    return out
