"""Datasets for the differential suite: generated edge cases and the demo generator's output.

The edge-case generator puts signups and events on the first and last second of local days,
weeks and months (in the zone under test), on DST changes, and on exact window boundaries, so
off-by-one differences between the engine and SQL cannot hide; some events lie exactly N days
before `as_of`, on the bounds of "last N days" windows.
"""

import json
import os
import random
import subprocess
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

TYPES = ["signup", "visit", "product_view", "cart_add", "purchase", "refund",
         "nps_response", "message_sent", "support_ticket"]
PLANS = ["free", "pro", "team", None]
COUPONS = ["WELCOME", "SPRING", None]


def iso(unix):
    return datetime.fromtimestamp(unix, ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")


def local_unix(zone, y, m, d, hh=0, mm=0, ss=0):
    return int(datetime(y, m, d, hh, mm, ss, tzinfo=ZoneInfo(zone)).timestamp())


def boundary_instants(zone, start, days):
    """First and last seconds of local days, Monday/Sunday weeks and months in `zone`."""
    instants = []
    tz = ZoneInfo(zone)
    for d in range(days + 1):
        day = start + timedelta(days=d)
        midnight = int(datetime(day.year, day.month, day.day, tzinfo=tz).timestamp())
        if day.weekday() in (0, 6) or day.day == 1:
            instants += [midnight, midnight - 1]
    return instants


def edge_dataset(seed, zone, customers=160):
    """A dataset dense in boundary cases, with `as_of` inside a week and a month."""
    rng = random.Random(seed)
    start = datetime(2025, 12, 1)
    days = 150
    base = local_unix(zone, 2025, 12, 1)
    edges = boundary_instants(zone, start, days)
    as_of = local_unix(zone, 2026, 4, 15, 13, 30)
    # Exactly N days (or an hour) before `as_of`, and a second either side: the bounds of "last N
    # days" windows and of waits that end at `as_of`; `as_of + 1` is an event that does not exist yet.
    window_edges = [as_of - n + d for n in (0, 3600, 86400, 7 * 86400, 14 * 86400, 30 * 86400,
                                            60 * 86400, 90 * 86400, 180 * 86400) for d in (-1, 0, 1)]

    def instant():
        r = rng.random()
        if r < 0.08:
            return rng.choice(window_edges)
        if r < 0.35:
            return rng.choice(edges)
        if r < 0.45:
            return rng.choice(edges) + rng.choice([1, -1, 3600, 86400, 7 * 86400])
        return base + rng.randrange(days * 86400)

    out_customers, out_events = [], []
    for c in range(customers):
        cid = f"c{c:04d}"
        signup = instant()
        attrs = {}
        plan = rng.choice(PLANS)
        if plan:
            attrs["plan"] = plan
        attrs["score"] = rng.randrange(0, 11)
        if rng.random() < 0.6:
            attrs["contract_end"] = datetime.fromtimestamp(
                signup + rng.randrange(0, 400) * 86400, ZoneInfo(zone)).strftime("%Y-%m-%d")
        if rng.random() < 0.7:
            attrs["tags"] = rng.sample(["vip", "price_sensitive", "b2b", "new"], rng.randrange(0, 3))
        attrs["newsletter"] = rng.random() < 0.5
        customer = {"id": cid, "name": f"Customer {c}", "created_at": iso(signup), "attributes": attrs,
                    "consent": {"email": rng.random() < 0.6, "sms": rng.random() < 0.4}}
        if rng.random() < 0.8:
            customer["email"] = f"{cid}@example.com"
        out_customers.append(customer)
        if rng.random() < 0.85:
            out_events.append({"id": f"{cid}-s", "customer_id": cid, "type": "signup", "at": iso(signup)})
        t = signup
        for n in range(rng.randrange(0, 30)):
            kind = rng.choice(TYPES[1:])
            if rng.random() < 0.5:
                t = t + rng.choice([0, 1, 60, 1800, 1801, 3600, 86399, 86400, 86401, 7 * 86400, 30 * 86400])
            else:
                t = instant()
            event = {"id": f"{cid}-{n}", "customer_id": cid, "type": kind, "at": iso(t)}
            props = {}
            if kind in ("purchase", "refund"):
                amount = rng.randrange(1, 200) * 1000
                event["value"] = -amount if kind == "refund" else amount
                coupon = rng.choice(COUPONS)
                if coupon and kind == "purchase":
                    props["coupon"] = coupon
                props["category"] = rng.choice(["shoes", "bags", "tops"])
            if kind == "nps_response":
                props["score"] = rng.randrange(0, 11)
            if kind == "message_sent":
                props["channel"] = rng.choice(["email", "sms", "kakao"])
            if kind in ("visit", "product_view", "cart_add"):
                props["category"] = rng.choice(["shoes", "bags", "tops"])
            if props:
                event["properties"] = props
            out_events.append(event)
    meta = {"v": 1, "currency": "KRW", "time_zone": zone,
            "as_of": datetime.fromtimestamp(as_of, ZoneInfo(zone)).isoformat(),
            "event_types": [{"name": t} for t in TYPES],
            "attributes": [{"name": "plan", "type": "text"}, {"name": "score", "type": "number"},
                           {"name": "contract_end", "type": "date"}, {"name": "tags", "type": "list"},
                           {"name": "newsletter", "type": "bool"}]}
    return meta, out_customers, out_events


def write(directory, meta, customers, events):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "meta.json"), "w") as f:
        json.dump(meta, f)
    with open(os.path.join(directory, "customers.json"), "w") as f:
        json.dump({"data": customers, "next_cursor": None}, f, ensure_ascii=False)
    with open(os.path.join(directory, "events.json"), "w") as f:
        json.dump({"data": events, "next_cursor": None}, f, ensure_ascii=False)


def generated(cli, directory, customers, seed):
    """A realistic dataset from the demo generator (through `crm-lens-query generate`)."""
    subprocess.run([cli, "generate", "--out", directory, "--customers", str(customers),
                    "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
    return directory
