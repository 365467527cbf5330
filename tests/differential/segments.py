"""Segment rules in SQL (docs/query-spec.md, `segment`), compared as member id sets.

Each rule becomes one boolean SQL expression over the customer row `c` (correlated subqueries
on `events`); library references are expanded in place. Written from the spec and the semantics
in the module doc of src/engine/segment.rs, not from the Rust code.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sql_common import event_filter, literal, midnight_unix

D = 86400
CMP = {"eq": "=", "ne": "<>", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
# Built-in attributes and their (type, customers column).
BUILTINS = {"$created_at": ("date", "c.created_at"), "$name": ("text", "c.name"),
            "$email": ("text", "c.email"), "$phone": ("text", "c.phone"),
            "$consent.email": ("bool", "c.consent_email"), "$consent.sms": ("bool", "c.consent_sms"),
            "$consent.push": ("bool", "c.consent_push"), "$consent.kakao": ("bool", "c.consent_kakao")}
# The custom attributes the warehouse holds (edge datasets and the demo generator), by type.
ATTRIBUTE_TYPES = {"plan": "text", "region": "text", "score": "number", "seats": "number",
                   "satisfaction": "number", "newsletter": "bool", "vip": "bool", "tags": "list",
                   "contract_end": "date", "birthday": "date"}


def instant(text, zone):
    """Unix seconds of a spec date: `YYYY-MM-DD` is local midnight in `zone`, else RFC 3339."""
    if len(text) == 10:
        y, m, d = map(int, text.split("-"))
        return int(datetime(y, m, d, tzinfo=ZoneInfo(zone)).timestamp())
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


class Ctx:
    def __init__(self, query, zone, now, types):
        self.zone = zone
        self.now = now
        self.library = query.get("segments", {})
        self.types = types
        self.today = datetime.fromtimestamp(now, ZoneInfo(zone)).date()


def in_window(ts, window, ctx):
    """The window's condition on unix seconds `ts` (the `ts <= now` part included)."""
    parts = [f"{ts} <= {ctx.now}"]
    if window in (None, "ever"):
        pass
    elif "last_days" in window:
        parts.append(f"{ts} > {ctx.now - window['last_days'] * D}")
    elif "after_signup_days" in window:
        parts.append(f"{ts} >= c.created_at AND {ts} <= c.created_at + {window['after_signup_days'] * D}")
    elif "between" in window:
        b = window["between"]
        parts.append(f"{ts} >= {instant(b['from'], ctx.zone)} AND {ts} < {instant(b['to'], ctx.zone)}")
    else:
        raise ValueError(f"window {window}")
    return " AND ".join(parts)


def matching(alias, flt, ctx, window=None):
    """The customer's events (alias) that exist (ts <= now), pass `flt` and lie in `window`."""
    return (f"FROM events {alias} WHERE {alias}.customer_id = c.id AND {event_filter(alias, flt)} "
            f"AND {in_window(f'{alias}.ts', window, ctx)}")


def after(b, a):
    """b comes later than a in the customer's event order (time, then arrival)."""
    return f"({b}.ts > {a}.ts OR ({b}.ts = {a}.ts AND {b}.ix > {a}.ix))"


def within_seconds(w):
    return w.get("days", 0) * D + w.get("hours", 0) * 3600 + w.get("minutes", 0) * 60


def yes(expr):
    """A SQL truth value where NULL (unknown / missing) is false."""
    return f"coalesce(({expr}), FALSE)"


def anniversary_days(ctx, n):
    """The 'MM-DD' strings that have an anniversary in today ..= today + n (29 February also on
    28 February of years without one)."""
    out = set()
    for k in range(n + 1):
        x = ctx.today + timedelta(days=k)
        out.add(x.strftime("%m-%d"))
        leap = x.year % 4 == 0 and (x.year % 100 != 0 or x.year % 400 == 0)
        if (x.month, x.day) == (2, 28) and not leap:
            out.add("02-29")
    return sorted(out)


def attribute_sql(rule, ctx):
    name = rule["attribute"]
    op = rule["op"]
    if name in BUILTINS:
        typ, col = BUILTINS[name]
    else:
        typ, col = ctx.types[name], f"c.{name}"
    if op == "exists":
        return f"({col} IS NOT NULL)"
    if op == "not_exists":
        return f"({col} IS NULL)"
    if typ in ("text", "number", "bool"):
        if op == "eq":
            return yes(f"{col} = {literal(rule['value'])}")
        if op == "ne":
            return f"({col} IS DISTINCT FROM {literal(rule['value'])})"
        if op == "in":
            return yes(f"{col} IN ({', '.join(literal(v) for v in rule['values'])})")
        if op == "not_in":
            return f"({col} IS NULL OR {col} NOT IN ({', '.join(literal(v) for v in rule['values'])}))"
    if typ == "text":
        if op == "contains":
            return yes(f"contains(lower({col}), lower({literal(rule['value'])}))")
        if op == "starts_with":
            return yes(f"starts_with({col}, {literal(rule['value'])})")
    if typ == "number":
        if op == "between":
            return yes(f"{col} >= {literal(rule['min'])} AND {col} <= {literal(rule['max'])}")
        if op in CMP:
            return yes(f"{col} {CMP[op]} {literal(rule['value'])}")
    if typ == "list":
        if op == "list_has":
            return yes(f"list_contains({col}, {literal(rule['value'])})")
        values = "[" + ", ".join(literal(v) for v in rule["values"]) + "]"
        if op == "list_has_any":
            return yes(f"list_has_any({col}, {values})")
        if op == "list_has_none":
            return f"({col} IS NULL OR NOT list_has_any({col}, {values}))"
    if typ == "date":
        if name == "$created_at":
            d, local_date = col, f"CAST(timezone('{ctx.zone}', to_timestamp({col})) AS DATE)"
        else:
            local_date = f"CAST({col} AS DATE)"
            d = midnight_unix(local_date, ctx.zone)
        now = ctx.now
        if op == "before":
            return yes(f"{d} < {instant(rule['date'], ctx.zone)}")
        if op == "after":
            return yes(f"{d} >= {instant(rule['date'], ctx.zone)}")
        n = rule.get("days")
        if op == "in_last_days":
            return yes(f"{d} >= {now - n * D} AND {d} <= {now}")
        if op == "in_next_days":
            return yes(f"{d} >= {now} AND {d} <= {now + n * D}")
        if op == "more_than_days_ago":
            return yes(f"{d} < {now - n * D}")
        if op == "anniversary_in_next_days":
            days = ", ".join(literal(x) for x in anniversary_days(ctx, n))
            return yes(f"strftime({local_date}, '%m-%d') IN ({days})")
    raise ValueError(f"attribute test {rule} on a {typ}")


def rule_sql(rule, ctx):
    """A boolean SQL expression (never NULL) over customer `c`: does `c` satisfy `rule`?"""
    kind = rule["rule"]
    window = rule.get("window")
    if kind in ("all", "any", "none"):
        inner = [rule_sql(r, ctx) for r in rule["rules"]]
        if kind == "all":
            return "(" + " AND ".join(inner) + ")" if inner else "TRUE"
        anyof = "(" + " OR ".join(inner) + ")" if inner else "FALSE"
        return anyof if kind == "any" else f"(NOT {anyof})"
    if kind == "attribute":
        return attribute_sql(rule, ctx)
    if kind == "segment":
        return rule_sql(ctx.library[rule["id"]], ctx)
    if kind == "performed":
        count = rule.get("count", {"op": "gte", "value": 1})
        return f"((SELECT count(*) {matching('e', rule['event'], ctx, window)}) {CMP[count['op']]} {count['value']})"
    if kind == "not_performed":
        return f"(NOT EXISTS (SELECT 1 {matching('e', rule['event'], ctx, window)}))"
    if kind == "sequence":
        w = within_seconds(rule["within"])
        return (f"(EXISTS (SELECT 1 {matching('a', rule['first'], ctx, window)} AND EXISTS ("
                f"SELECT 1 FROM events b WHERE b.customer_id = c.id AND {event_filter('b', rule['then'])} "
                f"AND b.ts <= {ctx.now} AND {after('b', 'a')} AND b.ts - a.ts <= {w})))")
    if kind == "not_followed_by":
        w = within_seconds(rule["within"])
        return (f"(EXISTS (SELECT 1 {matching('a', rule['first'], ctx, window)} AND a.ts + {w} <= {ctx.now} "
                f"AND NOT EXISTS (SELECT 1 FROM events b WHERE b.customer_id = c.id "
                f"AND {event_filter('b', rule['then'])} AND {after('b', 'a')} AND b.ts <= a.ts + {w})))")
    if kind in ("first_performed", "last_performed"):
        fn = "min" if kind == "first_performed" else "max"
        t = f"(SELECT {fn}(e.ts) {matching('e', rule['event'], ctx)})"
        return yes(in_window(t, window, ctx))
    if kind == "aggregate":
        agg = rule["aggregate"]
        expr = {"count": "count(*)", "sum": "coalesce(sum(e.value), 0)", "avg": "avg(e.value)",
                "min": "min(e.value)", "max": "max(e.value)"}[agg]
        return yes(f"(SELECT {expr} {matching('e', rule['event'], ctx, window)}) "
                   f"{CMP[rule['op']]} {literal(rule['value'])}")
    raise ValueError(f"rule {kind}")


def members(con, query, zone, now):
    """(member ids in store order, total) by SQL."""
    ctx = Ctx(query, zone, now, ATTRIBUTE_TYPES)
    population = rule_sql(query["filter"], ctx) if query.get("filter") else "TRUE"
    sql = (f"SELECT c.id, ({rule_sql(query['rule'], ctx)}) AS m FROM customers c "
           f"WHERE {population} ORDER BY c.ix")
    rows = con.execute(sql).fetchall()
    return [cid for cid, m in rows if m], len(rows)


def compare(con, query, output, zone, week_start, now):
    expected, total = members(con, query, zone, now)
    got = output.get("members", [])
    problems = []
    if output.get("count") != len(expected):
        problems.append(f"count engine {output.get('count')} vs SQL {len(expected)}")
    if output.get("total") != total:
        problems.append(f"total engine {output.get('total')} vs SQL {total}")
    only_engine = sorted(set(got) - set(expected))
    only_sql = sorted(set(expected) - set(got))
    if only_engine:
        problems.append(f"{len(only_engine)} only in engine, e.g. {only_engine[:5]}")
    if only_sql:
        problems.append(f"{len(only_sql)} only in SQL, e.g. {only_sql[:5]}")
    if not problems and got != expected:
        problems.append("same members in a different order (members are in store order)")
    return problems


def cases(as_of_date, meta=None):
    """Segment queries covering every rule kind, attribute type and operator, count, window,
    `within` span (0 to 7 days: the datasets put events exactly 1 s, 1 h, 1 day and 7 days apart),
    library references and deep nesting. Attribute names follow the dataset's `meta`."""
    attrs = {a["name"]: a["type"] for a in (meta or {}).get("attributes", [])}
    number = "score" if "score" in attrs else "seats"
    boolean = "newsletter" if "newsletter" in attrs else "vip"
    tag_values = ["vip", "b2b"] if "score" in attrs else ["price_sensitive", "reviewer"]
    tag = tag_values[0]
    categories = ["shoes", "bags"] if "score" in attrs else ["fashion", "beauty"]
    day = as_of_date.isoformat()
    month_ago = (as_of_date - timedelta(days=30)).isoformat()
    two_months_ago = (as_of_date - timedelta(days=61)).isoformat()
    in_90 = (as_of_date + timedelta(days=90)).isoformat()

    def attr(name, op, **operands):
        return dict({"rule": "attribute", "attribute": name, "op": op}, **operands)

    purchase = {"event": "purchase"}
    visit = {"event": "visit"}
    cart = {"event": "cart_add"}
    refund = {"event": "refund"}
    rules = [
        # text
        attr("plan", "eq", value="pro"), attr("plan", "ne", value="pro"),
        attr("plan", "in", values=["pro", "team", "enterprise"]), attr("plan", "not_in", values=["free", "basic"]),
        attr("plan", "contains", value="EA"), attr("plan", "contains", value="r"),
        attr("plan", "starts_with", value="pr"), attr("plan", "starts_with", value="P"),
        attr("plan", "exists"), attr("plan", "not_exists"),
        attr("$email", "exists"), attr("$email", "not_exists"), attr("$email", "contains", value="EXAMPLE.COM"),
        attr("$name", "starts_with", value="Customer 1"),
        # number
        attr(number, "gt", value=5), attr(number, "gte", value=5), attr(number, "lt", value=5),
        attr(number, "lte", value=5), attr(number, "between", min=3, max=7), attr(number, "eq", value=10),
        attr(number, "ne", value=10), attr(number, "in", values=[0, 6, 10]), attr(number, "not_in", values=[0, 6]),
        attr(number, "exists"),
        # bool
        attr(boolean, "eq", value=True), attr(boolean, "eq", value=False), attr(boolean, "ne", value=True),
        attr("$consent.email", "eq", value=True), attr("$consent.sms", "ne", value=True),
        # list
        attr("tags", "list_has", value=tag), attr("tags", "list_has_any", values=tag_values),
        attr("tags", "list_has_none", values=tag_values), attr("tags", "exists"), attr("tags", "not_exists"),
        # dates: contract_end (local midnight) and $created_at (an instant)
        attr("contract_end", "before", date=day), attr("contract_end", "after", date=day),
        attr("contract_end", "after", date=f"{day}T12:00:00+00:00"),
        attr("contract_end", "in_last_days", days=30), attr("contract_end", "in_next_days", days=90),
        attr("contract_end", "in_next_days", days=0), attr("contract_end", "more_than_days_ago", days=30),
        attr("contract_end", "anniversary_in_next_days", days=0),
        attr("contract_end", "anniversary_in_next_days", days=30),
        attr("contract_end", "anniversary_in_next_days", days=104),
        attr("$created_at", "before", date=month_ago), attr("$created_at", "after", date=month_ago),
        attr("$created_at", "in_last_days", days=30), attr("$created_at", "in_next_days", days=30),
        attr("$created_at", "more_than_days_ago", days=61),
        attr("$created_at", "anniversary_in_next_days", days=0),
        attr("$created_at", "anniversary_in_next_days", days=45),
        # performed: counts, windows, property filters
        {"rule": "performed", "event": purchase},
        {"rule": "performed", "event": purchase, "count": {"op": "eq", "value": 0}},
        {"rule": "performed", "event": visit, "count": {"op": "lte", "value": 2}},
        {"rule": "performed", "event": {"event": "$activity"}, "count": {"op": "eq", "value": 3},
         "window": {"last_days": 30}},
        {"rule": "performed", "event": {"event": "$any"}, "count": {"op": "gte", "value": 5}, "window": "ever"},
        {"rule": "performed", "event": visit, "window": {"last_days": 7}},
        {"rule": "performed", "event": visit, "window": {"last_days": 1}},
        {"rule": "performed", "event": purchase, "window": {"after_signup_days": 7}},
        {"rule": "performed", "event": purchase, "window": {"after_signup_days": 0}},
        {"rule": "performed", "event": visit, "count": {"op": "gte", "value": 2},
         "window": {"between": {"from": two_months_ago, "to": month_ago}}},
        {"rule": "performed", "event": {"event": "$any"},
         "window": {"between": {"from": f"{month_ago}T00:00:00Z", "to": f"{day}T00:00:00+09:00"}}},
        {"rule": "performed", "event": {"event": "purchase", "where": [{"property": "coupon", "op": "exists"}]}},
        {"rule": "performed", "event": {"event": "$any", "where": [
            {"property": "category", "op": "in", "values": categories}]}, "window": {"last_days": 60}},
        {"rule": "performed", "event": {"event": "nps_response", "where": [
            {"property": "score", "op": "lte", "value": 6}]}, "window": {"last_days": 180}},
        {"rule": "performed", "event": {"event": "$activity", "where": [
            {"property": "category", "op": "not_in", "values": categories},
            {"property": "coupon", "op": "ne", "value": "WELCOME"}]}, "count": {"op": "gte", "value": 3}},
        {"rule": "performed", "event": {"event": "purchase", "where": [
            {"property": "category", "op": "eq", "value": categories[0]}, {"property": "coupon", "op": "not_exists"}]},
         "window": {"last_days": 90}},
        # not_performed
        {"rule": "not_performed", "event": visit, "window": {"last_days": 14}},
        {"rule": "not_performed", "event": {"event": "purchase", "where": [
            {"property": "coupon", "op": "not_exists"}]}},
        {"rule": "all", "rules": [{"rule": "performed", "event": purchase},
                                  {"rule": "not_performed", "event": {"event": "purchase", "where": [
                                      {"property": "coupon", "op": "not_exists"}]}}]},
        # first / last performed
        {"rule": "first_performed", "event": purchase, "window": {"last_days": 30}},
        {"rule": "first_performed", "event": visit, "window": {"after_signup_days": 1}},
        {"rule": "last_performed", "event": visit, "window": {"last_days": 14}},
        {"rule": "last_performed", "event": {"event": "$activity"},
         "window": {"between": {"from": two_months_ago, "to": month_ago}}},
        {"rule": "first_performed", "event": purchase, "window": "ever"},  # window is required here
        # aggregates
        {"rule": "aggregate", "event": purchase, "aggregate": "count", "op": "gte", "value": 2},
        {"rule": "aggregate", "event": purchase, "aggregate": "sum", "op": "gte", "value": 150000,
         "window": {"last_days": 90}},
        {"rule": "aggregate", "event": refund, "aggregate": "sum", "op": "lt", "value": -50000},
        {"rule": "aggregate", "event": refund, "aggregate": "sum", "op": "eq", "value": 0},
        {"rule": "aggregate", "event": purchase, "aggregate": "avg", "op": "gt", "value": 80000},
        {"rule": "aggregate", "event": purchase, "aggregate": "min", "op": "lte", "value": 20000},
        {"rule": "aggregate", "event": purchase, "aggregate": "max", "op": "gte", "value": 150000,
         "window": {"after_signup_days": 30}},
        {"rule": "aggregate", "event": {"event": "$any"}, "aggregate": "max", "op": "ne", "value": 0},
        {"rule": "aggregate", "event": refund, "aggregate": "avg", "op": "lte", "value": -100000},
        {"rule": "aggregate", "event": visit, "aggregate": "count", "op": "eq", "value": 0,
         "window": {"last_days": 30}},
    ]
    spans = [{"minutes": 0}, {"hours": 1}, {"days": 1}, {"days": 7},
             {"days": 0, "hours": 23, "minutes": 60}, {"minutes": 1}]
    for within in spans:
        rules.append({"rule": "sequence", "first": cart, "then": purchase, "within": within})
        rules.append({"rule": "sequence", "first": {"event": "$activity"}, "then": {"event": "$activity"},
                      "within": within, "window": {"last_days": 60}})
        rules.append({"rule": "not_followed_by", "first": visit, "then": purchase, "within": within})
        rules.append({"rule": "not_followed_by", "first": {"event": "$any"}, "then": {"event": "$any"},
                      "within": within, "window": {"last_days": 30}})
    rules += [
        {"rule": "sequence", "first": visit, "then": {"event": "purchase", "where": [
            {"property": "coupon", "op": "exists"}]}, "within": {"days": 7}, "window": {"after_signup_days": 14}},
        {"rule": "sequence", "first": purchase, "then": refund, "within": {"days": 30},
         "window": {"between": {"from": two_months_ago, "to": day}}},
        {"rule": "not_followed_by", "first": {"event": "signup"}, "then": purchase, "within": {"days": 7}},
        {"rule": "not_followed_by", "first": cart, "then": purchase, "within": {"days": 1},
         "window": {"last_days": 30}},
        {"rule": "not_followed_by", "first": purchase, "then": purchase, "within": {"days": 30},
         "window": {"after_signup_days": 60}},
        # groups, including empty ones
        {"rule": "all", "rules": []}, {"rule": "any", "rules": []}, {"rule": "none", "rules": []},
        {"rule": "any", "rules": [
            {"rule": "all", "rules": [
                {"rule": "none", "rules": [
                    {"rule": "any", "rules": [attr("plan", "eq", value="pro"),
                                              {"rule": "performed", "event": refund}]},
                    {"rule": "not_performed", "event": visit, "window": {"last_days": 30}}]},
                attr(boolean, "eq", value=False)]},
            {"rule": "all", "rules": [
                {"rule": "sequence", "first": visit, "then": cart, "within": {"hours": 1}},
                {"rule": "none", "rules": [
                    {"rule": "all", "rules": [attr("tags", "list_has", value=tag),
                                              {"rule": "aggregate", "event": purchase, "aggregate": "sum",
                                               "op": "gt", "value": 100000}]}]}]}]},
    ]
    out = [{"kind": "segment", "rule": r, "include_members": True} for r in rules]
    library = {
        "buyers": {"rule": "performed", "event": purchase, "window": {"last_days": 90}},
        "big": {"rule": "all", "rules": [{"rule": "segment", "id": "buyers"},
                                         {"rule": "aggregate", "event": purchase, "aggregate": "sum",
                                          "op": "gte", "value": 100000}]},
        "vip": {"rule": "any", "rules": [{"rule": "segment", "id": "big"}, attr("tags", "list_has", value=tag)]},
        "lapsed": {"rule": "none", "rules": [{"rule": "segment", "id": "buyers"}]},
        "unused": {"rule": "attribute", "attribute": "plan", "op": "exists"},
    }
    for rule in [{"rule": "segment", "id": "buyers"}, {"rule": "segment", "id": "vip"},
                 {"rule": "segment", "id": "lapsed"},
                 {"rule": "all", "rules": [{"rule": "segment", "id": "vip"},
                                           {"rule": "none", "rules": [{"rule": "segment", "id": "big"}]}]},
                 {"rule": "any", "rules": [{"rule": "segment", "id": "lapsed"},
                                           {"rule": "segment", "id": "big"}]}]:
        out.append({"kind": "segment", "segments": library, "rule": rule, "include_members": True})
    # A filter changes the population (`total`) as well as the members.
    out.append({"kind": "segment", "segments": library, "filter": {"rule": "segment", "id": "buyers"},
                "rule": attr(boolean, "eq", value=True), "include_members": True})
    out.append({"kind": "segment", "filter": attr("$email", "exists"),
                "rule": {"rule": "not_performed", "event": visit, "window": {"last_days": 14}},
                "include_members": True})
    out.append({"kind": "segment", "rule": attr("contract_end", "before", date=in_90), "include_members": True})
    return out
