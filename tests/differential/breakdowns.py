"""Attribute breakdown groups in SQL (docs/query-spec.md, "Breakdowns"): the `limit` most common
values (ties by value, ascending), then `(other)` and `(none)` when not empty."""


def group_labels(con, breakdown, population="TRUE"):
    """{label: [customer ids in store order]} in the result's group order, for a text attribute."""
    assert breakdown["by"] == "attribute"
    col = breakdown["attribute"]
    limit = breakdown.get("limit", 10)
    top = [v for v, _ in con.execute(
        f"SELECT {col} AS v, count(*) AS n FROM customers WHERE {col} IS NOT NULL AND {population} "
        f"GROUP BY v ORDER BY n DESC, v LIMIT {limit}").fetchall()]
    groups = {v: [] for v in top}
    other, none = [], []
    for cid, v in con.execute(f"SELECT id, {col} FROM customers WHERE {population} ORDER BY ix").fetchall():
        if v is None:
            none.append(cid)
        elif v in groups:
            groups[v].append(cid)
        else:
            other.append(cid)
    if other:
        groups["(other)"] = other
    if none:
        groups["(none)"] = none
    return groups
