"""SQL fragments shared by the suite: local periods and event filters, written from
docs/query-spec.md, independently of the Rust code."""


def local(ts, zone):
    """The local wall-clock TIMESTAMP of unix seconds `ts` in `zone`."""
    return f"timezone('{zone}', to_timestamp({ts}))"


def period_start(ts, zone, period, week_start="monday"):
    """The first local DATE of the calendar period containing unix seconds `ts`."""
    t = local(ts, zone)
    if period == "day":
        return f"CAST({t} AS DATE)"
    if period == "week":
        if week_start == "sunday":
            return f"CAST(date_trunc('week', {t} + INTERVAL 1 DAY) - INTERVAL 1 DAY AS DATE)"
        return f"CAST(date_trunc('week', {t}) AS DATE)"
    return f"CAST(date_trunc('month', {t}) AS DATE)"


def date_period_start(date_sql, period, week_start="monday"):
    """The first DATE of the period containing a DATE."""
    if period == "day":
        return f"CAST({date_sql} AS DATE)"
    if period == "week":
        if week_start == "sunday":
            return f"CAST(date_trunc('week', CAST({date_sql} AS DATE) + INTERVAL 1 DAY) - INTERVAL 1 DAY AS DATE)"
        return f"CAST(date_trunc('week', CAST({date_sql} AS DATE)) AS DATE)"
    return f"CAST(date_trunc('month', CAST({date_sql} AS DATE)) AS DATE)"


def periods_between(a, b, period):
    """Whole periods from period-start DATE `a` to period-start DATE `b`."""
    if period == "day":
        return f"date_diff('day', {a}, {b})"
    if period == "week":
        return f"(date_diff('day', {a}, {b}) // 7)"
    return f"date_diff('month', {a}, {b})"


def add_periods(a, n, period):
    unit = {"day": "DAY", "week": "WEEK", "month": "MONTH"}[period]
    return f"CAST({a} + ({n}) * INTERVAL 1 {unit} AS DATE)"


def midnight_unix(date_sql, zone):
    """Unix seconds of local midnight starting DATE `date_sql` in `zone`."""
    return f"epoch(timezone('{zone}', CAST({date_sql} AS TIMESTAMP)))::BIGINT"


def literal(v):
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (int, float)):
        return repr(float(v))
    return "'" + str(v).replace("'", "''") + "'"


def condition(alias, cond):
    """One property condition on the events table (known property columns only)."""
    col = f"{alias}.{cond['property']}"
    op = cond["op"]
    if op == "exists":
        return f"{col} IS NOT NULL"
    if op == "not_exists":
        return f"{col} IS NULL"
    if op == "eq":
        return f"{col} IS NOT DISTINCT FROM {literal(cond['value'])}"
    if op == "ne":
        return f"{col} IS DISTINCT FROM {literal(cond['value'])}"
    if op == "in":
        return "(" + " OR ".join(f"{col} = {literal(v)}" for v in cond["values"]) + ")"
    if op == "not_in":
        return "(" + " AND ".join(f"{col} IS DISTINCT FROM {literal(v)}" for v in cond["values"]) + ")"
    sym = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}[op]
    return f"{col} {sym} {literal(cond['value'])}"


def event_filter(alias, flt):
    """SQL for an event filter: `$activity` is every type but message_sent; `$any` every type."""
    name = flt["event"]
    parts = []
    if name == "$activity":
        parts.append(f"{alias}.type <> 'message_sent'")
    elif name != "$any":
        parts.append(f"{alias}.type = {literal(name)}")
    parts += [condition(alias, c) for c in flt.get("where", [])]
    return " AND ".join(parts) if parts else "TRUE"
