#!/usr/bin/env python3
"""The /api/v1 campaign checks of t-api-campaign.sh: cases, rewards and
reports, for a coordinator or an admin alone. Arguments: PORT TMPDIR
CODE_A CODE_B CODE_C QUARTER (A and B on one shop, C elsewhere)."""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from apilib import setup, call, check, expect, leaks  # noqa: E402

PORT, TMP, A, B, C, Q, INJECT = sys.argv[1:8]
PHONE = TMP + "/phone"
setup(PORT, TMP, ("admin", "coord", "office1", "hotline1"))
NUMBERS = ("13900000061", "13900000062", "13900000063")

# -- who may -------------------------------------------------------------
s, _, _, _ = call(None, "GET", "/cases")
check("no token: 401", s == 401)
for user in ("office1", "hotline1"):
    for path in ("/cases", "/rewards", "/reports/quarterly?quarter=" + Q,
                 "/reports/ledger"):
        expect("%s may not GET %s: 403" % (user, path.split("?")[0]), user,
               "GET", path, 403)
    expect("%s may not confirm a case: 403" % user, user, "POST",
           "/cases/1/confirm", 403, body={})

# -- cases -----------------------------------------------------------------
doc = expect("the cases tipgwd proposed", "coord", "GET", "/cases", 200)
cases = doc["cases"]
check("one proposal of A and B, A first", len(cases) == 1 and
      cases[0]["state"] == "proposed" and
      [t["code"] for t in cases[0]["tips"]] == [A, B], cases)
doc = expect("cases?state=proposed", "coord", "GET", "/cases?state=proposed",
             200)
check("filtered", len(doc["cases"]) == 1)
expect("an outcome before confirming: 409", "coord", "POST",
       "/cases/1/outcome", 409, body={"finding": "x"}, error="proposed")
doc = expect("confirm", "coord", "POST", "/cases/1/confirm", 200)
check("confirmed", doc["state"] == "confirmed")
expect("confirm again: 409", "coord", "POST", "/cases/1/confirm", 409)
expect("no case 999: 404", "coord", "POST", "/cases/999/confirm", 404)
expect("no case abc: 404", "coord", "GET", "/cases/abc", 404)
for body, why in (({"penalty": -1}, "field penalty"),
                  ({"penalty": "5000"}, "field penalty"),
                  ({"deadline": "2026-13-01"}, "field deadline"),
                  ({"level": 4}, "field level"),
                  ({"fine": 5}, "unknown field: fine")):
    expect("outcome %r: 400" % body, "coord", "POST", "/cases/1/outcome",
           400, body=body, error=why)
doc = expect("outcome", "admin", "POST", "/cases/1/outcome", 200, body={
    "finding": "销售过期乳粉", "penalty": 5000, "confiscated": 800,
    "measure": "下架销毁", "deadline": "2026-12-20", "responsible": "王所长",
    "referral": "公安", "followup": "2027-01-10", "level": 2})
check("decided, with its 台账", doc["state"] == "decided" and
      doc["penalty"] == 5000 and doc["responsible"] == "王所长" and
      doc["referral"] == "公安")

# -- rewards -------------------------------------------------------------
doc = expect("the case's rewards", "coord", "GET", "/rewards?case=1", 200)
r = {x["tip"]: x for x in doc["rewards"]}
check("the first reporter's: eligible", r[A]["state"] == "eligible" and
      r[A]["amount"] > 0 and r[A]["first_reporter"], r.get(A))
check("the second's: not the first", r[B]["state"] == "ineligible" and
      "first" in r[B]["why"], r.get(B))
ra, rb = r[A]["id"], r[B]["id"]
expect("rewards?state=bogus: 400", "coord", "GET", "/rewards?state=bogus",
       400)
expect("approve the ineligible: 409", "coord", "POST",
       "/rewards/%d/approve" % rb, 409, body={})
doc = expect("flag the first as staff", "coord", "POST",
             "/rewards/%d/flag" % ra, 200, body={"staff": True})
check("decided again: office staff", doc["state"] == "ineligible" and
      "staff" in doc["why"], doc)
doc = expect("flags cleared", "coord", "POST", "/rewards/%d/flag" % ra, 200,
             body={})
check("eligible again", doc["state"] == "eligible", doc)
expect("flag with a bad type: 400", "coord", "POST", "/rewards/%d/flag" % ra,
       400, body={"staff": "yes"}, error="field staff")
doc = expect("approve with an amount", "coord", "POST",
             "/rewards/%d/approve" % ra, 200, body={"amount": 3000})
check("approved and the reporter told: notified, 3000",
      doc["state"] == "notified" and doc["amount"] == 3000, doc)
expect("pay before the claim: 409", "coord", "POST", "/rewards/%d/pay" % ra,
       409, body={})
expect("revoke without a reason: 400", "coord", "POST",
       "/rewards/%d/revoke" % ra, 400, body={}, error="missing field: reason")
doc = expect("revoke", "admin", "POST", "/rewards/%d/revoke" % ra, 200,
             body={"reason": "举报不实"})
check("revoked", doc["state"] == "revoked")
expect("no reward 999: 404", "coord", "POST", "/rewards/999/pay", 404,
       body={})
expect("no such action: 404", "coord", "POST", "/rewards/%d/give" % ra, 404,
       body={})

# -- a case by hand, a split ---------------------------------------------
doc = expect("open a case for C", "coord", "POST", "/cases", 201,
             body={"tips": [C]})
check("opened confirmed", doc["state"] == "confirmed" and
      [t["code"] for t in doc["tips"]] == [C])
expect("open with no tips: 400", "coord", "POST", "/cases", 400,
       body={"tips": []})
expect("open an unknown tip: 409", "coord", "POST", "/cases", 409,
       body={"tips": ["ZZZZZZ"]}, error="no tip")
doc = expect("split C out", "coord", "POST", "/cases/%d/split" % doc["id"],
             200, body={"tip": C})
check("split", doc["tips_count"] == 0)

# -- an anonymous caller's reward, claimed with code and PIN alone ------
doc = expect("an anonymous hotline tip", "hotline1", "POST", "/tips", 201,
             body={"text": "兰青乡胡冲村小卖部卖假冒白酒", "phone": None,
                   "township": "411724214"})
code, pin = doc["code"], doc["pin"]
doc = expect("its case, opened by hand", "coord", "POST", "/cases", 201,
             body={"tips": [code]})
kid = doc["id"]
expect("its outcome", "coord", "POST", "/cases/%d/outcome" % kid, 200,
       body={"finding": "销售假冒白酒", "penalty": 3000})
doc = expect("its reward", "coord", "GET", "/rewards?case=%d" % kid, 200)
rid = doc["rewards"][0]["id"]
doc = expect("approve it", "coord", "POST", "/rewards/%d/approve" % rid, 200,
             body={})
check("no number to tell: it stays approved", doc["state"] == "approved",
      doc)
subprocess.run([sys.executable, INJECT, "--quiet", "--from", "13700000099",
                "--", PHONE, "领奖 %s %s" % (code, pin)], check=True)
for _ in range(100):
    doc = call("coord", "GET", "/rewards/%d" % rid)[1]
    if doc.get("state") == "claimed":
        break
    time.sleep(0.1)
check("领奖 CODE PIN from any phone claims it", doc.get("state") == "claimed",
      doc)

# -- reports -------------------------------------------------------------
doc = expect("the quarter's report", "coord", "GET",
             "/reports/quarterly?quarter=" + Q, 200)
t = doc["total"]
check("the tips, the cases, the penalties, the referral",
      t["received"] == 4 and t["cases"] == 2 and t["penalty"] == 8000 and
      t["referrals"] == 1, t)
expect("a bad quarter: 400", "coord", "GET",
       "/reports/quarterly?quarter=2026Q9", 400, error="parameter quarter")
expect("no period: 400", "coord", "GET", "/reports/monthly", 400)
expect("an unknown parameter: 400", "coord", "GET",
       "/reports/annual?year=2026&x=1", 400)
expect("no such report: 404", "coord", "GET", "/reports/weekly", 404)
doc = expect("the ledger", "coord", "GET", "/reports/ledger", 200)
check("the ledger: the cases with their 台账", any(
    c["finding"] == "销售过期乳粉" for c in doc["cases"]))
leaks(NUMBERS, ("coord", "admin", "office1", "hotline1"))
print("ok - the end")
