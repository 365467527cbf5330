"""Loads a v1 dataset into DuckDB tables the SQL of the suite queries.

customers(ix, id, created_at BIGINT unix seconds, name, email, phone, plan, score, contract_end, tags,
          newsletter, seats, satisfaction, vip, birthday, region, consent_email, consent_sms,
          consent_push, consent_kakao)
(attributes of the edge datasets and of the demo generator; a missing attribute or consent is NULL)
events(customer_id, ix, ts BIGINT unix seconds, type, value DOUBLE, coupon, category, score, channel)
"""

import json
import os
from datetime import datetime

import duckdb


def unix(text):
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def records(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    return doc["data"] if isinstance(doc, dict) else doc


CUSTOMER_COLUMNS = {"ix": "INTEGER", "id": "VARCHAR", "created_at": "BIGINT", "name": "VARCHAR",
                    "email": "VARCHAR", "phone": "VARCHAR",
                    "plan": "VARCHAR", "score": "DOUBLE", "contract_end": "VARCHAR",
                    "tags": "VARCHAR[]", "newsletter": "BOOLEAN", "seats": "DOUBLE",
                    "satisfaction": "DOUBLE", "vip": "BOOLEAN", "birthday": "VARCHAR", "region": "VARCHAR",
                    "consent_email": "BOOLEAN", "consent_sms": "BOOLEAN", "consent_push": "BOOLEAN",
                    "consent_kakao": "BOOLEAN"}
CUSTOM_ATTRIBUTES = ["plan", "score", "contract_end", "tags", "newsletter", "seats", "satisfaction", "vip",
                     "birthday", "region"]
EVENT_COLUMNS = {"customer_id": "VARCHAR", "ix": "INTEGER", "ts": "BIGINT", "type": "VARCHAR",
                 "value": "DOUBLE", "coupon": "VARCHAR", "category": "VARCHAR", "score": "DOUBLE",
                 "channel": "VARCHAR"}


def _table(con, name, columns, rows, scratch):
    """Creates `name` from dict rows through an NDJSON file (fast for large tables)."""
    path = os.path.join(scratch, f"{name}.ndjson")
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False))
            f.write("\n")
    spec = ", ".join(f"'{k}': '{v}'" for k, v in columns.items())
    con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_json('{path}', format='newline_delimited', "
                f"columns={{{spec}}})")


def load(directory, scratch):
    """A DuckDB connection holding the dataset in `directory`, and its meta."""
    con = duckdb.connect()
    customers = records(os.path.join(directory, "customers.json"))
    events = records(os.path.join(directory, "events.json"))
    with open(os.path.join(directory, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)

    def customer_rows():
        for i, c in enumerate(customers):
            a = c.get("attributes") or {}
            consent = c.get("consent") or {}
            row = {"ix": i, "id": c["id"], "created_at": unix(c["created_at"]), "name": c.get("name"),
                   "email": c.get("email"), "phone": c.get("phone")}
            row.update({k: a.get(k) for k in CUSTOM_ATTRIBUTES})
            row.update({f"consent_{k}": consent.get(k) for k in ("email", "sms", "push", "kakao")})
            yield row

    def event_rows():
        seen = set()
        for i, e in enumerate(events):
            if e.get("id") is not None:
                if e["id"] in seen:
                    continue
                seen.add(e["id"])
            p = e.get("properties") or {}
            yield {"customer_id": e["customer_id"], "ix": i, "ts": unix(e["at"]), "type": e["type"],
                   "value": e.get("value"), "coupon": p.get("coupon"), "category": p.get("category"),
                   "score": p.get("score"), "channel": p.get("channel")}

    os.makedirs(scratch, exist_ok=True)
    _table(con, "customers", CUSTOMER_COLUMNS, customer_rows(), scratch)
    _table(con, "events", EVENT_COLUMNS, event_rows(), scratch)
    return con, meta
