"""Predictive CLV: the engine (through `crm-lens-query`) against Python's `lifetimes` 0.11.3.

Usage: python3 tests/differential/clv.py CRM_LENS_QUERY_BINARY [SCRATCH_DIR]
(also run by tests/differential/run.py).

Seeded BG/NBD + Gamma-Gamma data (1,500 customers per dataset, in Asia/Seoul and
America/New_York) with same-day orders, orders just around local midnight, refunds (which the
summary ignores by definition), valueless purchases, customers who never bought and purchases after
`now`. The engine's summary, the fitted BG/NBD (r, alpha, a, b) and Gamma-Gamma (p, q, v)
parameters, and every customer's p_alive, expected purchases in 90 days and 12-month CLV (1 % a
month) must agree with lifetimes to 3 significant digits; so must the calibration/holdout check
(lifetimes' `calibration_and_holdout_data`). Exits non-zero on any difference.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")

from lifetimes import BetaGeoFitter, GammaGammaFitter  # noqa: E402
from lifetimes.utils import calibration_and_holdout_data, summary_data_from_transaction_data  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import datasets  # noqa: E402

REL = 5e-4  # 3 significant digits
HORIZON_DAYS = 90
HOLDOUT_DAYS = 120


def generate(seed, zone, customers=1500):
    """Customers who buy at Poisson rates and drop out after a purchase (BG/NBD), spending
    Gamma-Gamma amounts, observed up to `as_of`."""
    rng = np.random.default_rng(seed)
    as_of = datasets.local_unix(zone, 2026, 6, 30, 15, 0)
    r, alpha, a, b = 0.6, 25.0, 0.7, 2.5
    p, q, v = 4.0, 3.5, 60000.0
    out_customers, out_events = [], []
    for c in range(customers):
        cid = f"k{c:05d}"
        # First purchase up to two years before `as_of` (some today), signup a little before.
        first = as_of - int(rng.uniform(0, 730) * 86400)
        if c % 97 == 0:
            first = as_of - int(rng.uniform(0, 6) * 3600)  # T = 0
        signup = first - int(rng.uniform(0, 3) * 86400)
        out_customers.append({"id": cid, "name": f"Customer {c}", "created_at": datasets.iso(signup)})
        out_events.append({"id": f"{cid}-s", "customer_id": cid, "type": "signup", "at": datasets.iso(signup)})
        if c % 11 == 0:
            continue  # never bought
        lam = rng.gamma(r, 1.0 / alpha)
        drop = rng.beta(a, b)
        nu = rng.gamma(q, 1.0 / v)
        t, n = first, 0
        while t <= as_of + 60 * 86400 and n < 200:
            amount = max(1, int(round(rng.gamma(p, 1.0 / nu))))
            event = {"id": f"{cid}-{n}", "customer_id": cid, "type": "purchase", "at": datasets.iso(t)}
            if rng.random() < 0.03:
                pass  # a purchase without a value
            else:
                event["value"] = amount
            out_events.append(event)
            n += 1
            if rng.random() < 0.12:  # another order the same day (or just past midnight)
                out_events.append({"id": f"{cid}-{n}", "customer_id": cid, "type": "purchase",
                                   "at": datasets.iso(t + int(rng.uniform(60, 5 * 3600))),
                                   "value": max(1, int(round(rng.gamma(p, 1.0 / nu))))})
                n += 1
            if rng.random() < 0.05:
                out_events.append({"id": f"{cid}-{n}", "customer_id": cid, "type": "refund",
                                   "at": datasets.iso(t + 3 * 86400), "value": -amount})
                n += 1
            if rng.random() < drop:
                break
            t += max(60, int(rng.exponential(1.0 / max(lam, 1e-9)) * 86400))
    meta = {"v": 1, "currency": "KRW", "time_zone": zone,
            "as_of": datetime.fromtimestamp(as_of, ZoneInfo(zone)).isoformat(),
            "event_types": [{"name": "signup"}, {"name": "purchase"}, {"name": "refund"}], "attributes": []}
    return meta, out_customers, out_events, as_of


def transactions(events, zone, as_of):
    """Purchases at or before `as_of` as lifetimes reads them: local wall-clock datetimes."""
    rows = []
    for e in events:
        if e["type"] != "purchase":
            continue
        unix = int(datetime.strptime(e["at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=ZoneInfo("UTC")).timestamp())
        if unix > as_of:
            continue
        local = datetime.fromtimestamp(unix, ZoneInfo(zone)).replace(tzinfo=None)
        rows.append((e["customer_id"], local, float(e.get("value", 0.0))))
    return pd.DataFrame(rows, columns=["customer_id", "date", "value"])


def close(x, y, rel=REL, abs_tol=1e-9):
    if x is None or y is None:
        return x is None and y is None
    return abs(x - y) <= max(abs_tol, rel * max(abs(x), abs(y)))


class Tally:
    def __init__(self):
        self.checked = 0
        self.bad = []
        self.worst = 0.0

    def check(self, label, ours, theirs, rel=REL, abs_tol=1e-9):
        self.checked += 1
        if ours is not None and theirs is not None:
            scale = max(abs(ours), abs(theirs))
            if scale > abs_tol:
                self.worst = max(self.worst, abs(ours - theirs) / scale)
        if not close(ours, theirs, rel, abs_tol):
            self.bad.append(f"{label}: engine {ours!r} vs lifetimes {theirs!r}")


def compare_dataset(cli, directory, zone, as_of, events, tally):
    now = datetime.fromtimestamp(as_of, ZoneInfo(zone)).isoformat()
    base = {"v": 1, "now": now, "time_zone": zone, "horizon_days": HORIZON_DAYS, "clv_months": 12,
            "monthly_discount_rate": 0.01, "holdout_days": HOLDOUT_DAYS}
    queries = [dict(base, kind="clv"), dict(base, kind="clv_customers")]
    path = os.path.join(directory, "clv-queries.json")
    with open(path, "w") as f:
        json.dump(queries, f)
    done = subprocess.run([cli, "run", "--data", directory, "--query", path, "--compact"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"crm-lens-query failed: {done.stderr}")
    fit, listing = json.loads(done.stdout)

    df = transactions(events, zone, as_of)
    end_day = datetime.fromtimestamp(as_of, ZoneInfo(zone)).strftime("%Y-%m-%d")
    summary = summary_data_from_transaction_data(df, "customer_id", "date", monetary_value_col="value",
                                                 observation_period_end=end_day, freq="D")
    bgf = BetaGeoFitter(penalizer_coef=0.0)
    bgf.fit(summary["frequency"], summary["recency"], summary["T"])
    spenders = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
    ggf = GammaGammaFitter(penalizer_coef=0.0)
    ggf.fit(spenders["frequency"], spenders["monetary_value"])

    tally.check("customers", fit["customers"], len(summary), rel=0)
    tally.check("gamma-gamma customers", fit["gamma_gamma"]["customers"], len(spenders), rel=0)
    for name in ["r", "alpha", "a", "b"]:
        tally.check(f"bgnbd.{name}", fit["bgnbd"][name], float(bgf.params_[name]))
    for name in ["p", "q", "v"]:
        tally.check(f"gamma_gamma.{name}", fit["gamma_gamma"][name], float(ggf.params_[name]))

    f, rec, t, m = summary["frequency"], summary["recency"], summary["T"], summary["monetary_value"]
    p_alive = bgf.conditional_probability_alive(f, rec, t)
    expected = bgf.conditional_expected_number_of_purchases_up_to_time(HORIZON_DAYS, f, rec, t)
    clv = ggf.customer_lifetime_value(bgf, f, rec, t, m, time=12, discount_rate=0.01, freq="D")
    theirs = {cid: i for i, cid in enumerate(summary.index)}
    ours = {row["id"]: row for row in listing["customers"]}
    tally.check("listed customers", len(ours), len(theirs), rel=0)
    for cid, i in theirs.items():
        row = ours.get(cid)
        if row is None:
            tally.bad.append(f"{cid}: missing from the engine's list")
            continue
        tally.check(f"{cid}.frequency", row["frequency"], float(f.iloc[i]), rel=0)
        tally.check(f"{cid}.recency", row["recency"], float(rec.iloc[i]), rel=0)
        tally.check(f"{cid}.T", row["T"], float(t.iloc[i]), rel=0)
        tally.check(f"{cid}.monetary_value", row["monetary_value"], float(m.iloc[i]), rel=1e-12)
        tally.check(f"{cid}.p_alive", row["p_alive"], float(p_alive[i]))
        tally.check(f"{cid}.expected_purchases", row["expected_purchases"], float(expected.iloc[i]))
        tally.check(f"{cid}.clv", row["clv"], float(clv.iloc[i]), abs_tol=1e-6)

    # Calibration / holdout.
    cal_end = (datetime.fromtimestamp(as_of, ZoneInfo(zone)).date() - timedelta(days=HOLDOUT_DAYS))
    local_now = datetime.fromtimestamp(as_of, ZoneInfo(zone)).replace(tzinfo=None)
    ch = calibration_and_holdout_data(df, "customer_id", "date",
                                      calibration_period_end=f"{cal_end} 23:59:59",
                                      observation_period_end=local_now, freq="D")
    cal = BetaGeoFitter(penalizer_coef=0.0)
    cal.fit(ch["frequency_cal"], ch["recency_cal"], ch["T_cal"])
    predicted = cal.conditional_expected_number_of_purchases_up_to_time(
        ch["duration_holdout"], ch["frequency_cal"], ch["recency_cal"], ch["T_cal"])
    holdout = fit["holdout"]
    tally.check("holdout.calibration_end", holdout["calibration_end"] == str(cal_end), True, rel=0)
    tally.check("holdout.days", holdout["days"], float(ch["duration_holdout"].iloc[0]), rel=0)
    tally.check("holdout.customers", holdout["customers"], len(ch), rel=0)
    tally.check("holdout.actual", holdout["actual"], float(ch["frequency_holdout"].sum()), rel=0)
    for name in ["r", "alpha", "a", "b"]:
        tally.check(f"holdout.bgnbd.{name}", holdout["bgnbd"][name], float(cal.params_[name]))
    tally.check("holdout.predicted", holdout["predicted"], float(predicted.sum()))
    tally.check("holdout.mae", holdout["mae"], float((predicted - ch["frequency_holdout"]).abs().mean()))
    buckets = {b["frequency"]: b for b in holdout["buckets"]}
    for k in range(8):
        sel = ch[ch["frequency_cal"] >= 7] if k == 7 else ch[ch["frequency_cal"] == k]
        label = "7+" if k == 7 else str(k)
        if len(sel) == 0:
            tally.check(f"holdout.bucket {label}", label in buckets, False, rel=0)
            continue
        ours_b = buckets.get(label, {"customers": 0, "predicted": None, "actual": None})
        tally.check(f"holdout.bucket {label}.customers", ours_b["customers"], len(sel), rel=0)
        tally.check(f"holdout.bucket {label}.actual", ours_b["actual"], float(sel["frequency_holdout"].mean()))
        tally.check(f"holdout.bucket {label}.predicted", ours_b["predicted"], float(predicted[sel.index].mean()))
    return fit


def check(cli, scratch):
    """Runs every dataset; returns (values checked, differences)."""
    started = time.time()
    total_checked, total_bad = 0, 0
    for seed, zone in [(21, "Asia/Seoul"), (22, "America/New_York")]:
        meta, customers, events, as_of = generate(seed, zone)
        directory = os.path.join(scratch, f"clv-{seed}")
        datasets.write(directory, meta, customers, events)
        tally = Tally()
        fit = compare_dataset(cli, directory, zone, as_of, events, tally)
        bg, gg = fit["bgnbd"], fit["gamma_gamma"]
        print(f"clv seed {seed} [{zone}] {fit['customers']} customers: r={bg['r']:.4g} alpha={bg['alpha']:.4g} "
              f"a={bg['a']:.4g} b={bg['b']:.4g} p={gg['p']:.4g} q={gg['q']:.4g} v={gg['v']:.4g}: "
              f"{tally.checked - len(tally.bad)}/{tally.checked} values agree (max relative difference "
              f"{tally.worst:.1e})")
        for line in tally.bad[:12]:
            print(f"  DIFF {line}")
        total_checked += tally.checked
        total_bad += len(tally.bad)
    print(f"clv: {total_checked - total_bad}/{total_checked} values agree with lifetimes "
          f"in {time.time() - started:.1f} s")
    return total_checked, total_bad


def main():
    cli = os.path.abspath(sys.argv[1])
    scratch = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="crm-lens-clv-")
    _, bad = check(cli, scratch)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
