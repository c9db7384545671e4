#!/usr/bin/env python3
"""The /api/v1 checks of t-api.sh: one "ok - ..." or "not ok - ..." line
each. Arguments: PORT TMPDIR CODE_A CODE_B (tip A in 寒冻镇 411724101,
reported by +8613900000001 with 13912345678 in its words; tip B in
袁寨乡 411724108)."""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from apilib import (TOKENS, SEEN, setup, call, check,  # noqa: E402
                    expect, leaks)

PORT, TMP, A, B = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
setup(PORT, TMP, ("admin", "coord", "office1", "office2", "hotline1",
                  "hotline2", "gone"))
# Every reporter's number, in the forms it could leak in.
NUMBERS = ("13900000001", "13912345678", "13900000077", "13900000078")


def codes(doc):
    return sorted(t["code"] for t in (doc or {}).get("tips", []))


# -- tokens: 401 ---------------------------------------------------------
s, doc, auth, _ = call(None, "GET", "/tips")
check("no token: 401, with the scheme", s == 401 and auth is not None and
      auth.startswith("Bearer") and "bearer token" in doc["error"])
expect("an unknown token: 401", "tipgw_" + "x" * 43, "GET", "/tips", 401,
       error="unknown or revoked")
expect("a revoked token: 401", "gone", "GET", "/tips", 401)
s, doc, _, _ = call(None, "GET", "/tips", headers={
    "Authorization": "Basic " + TOKENS["coord"]})
check("a token in another scheme: 401", s == 401)

# -- the queue -----------------------------------------------------------
doc = expect("coordinator: the queue", "coord", "GET", "/tips", 200)
check("coordinator sees both tips, newest first",
      [t["code"] for t in doc["tips"]] == [B, A] and doc["next"] is None)
page = expect("limit=1: one tip and a cursor", "coord", "GET",
              "/tips?limit=1", 200)
check("limit=1: the newest, and next", codes(page) == [B] and
      page["next"] is not None)
page2 = expect("the cursor: the next page", "coord", "GET",
               "/tips?limit=1&cursor=" + str(page["next"]), 200)
check("the next page is the other tip, and the last",
      codes(page2) == [A] and page2["next"] is None)
doc = expect("filter state", "coord", "GET", "/tips?state=routed", 200)
check("state=routed: both", codes(doc) == sorted([A, B]))
doc = expect("filter township", "coord", "GET",
             "/tips?township=411724108", 200)
check("township=411724108: B", codes(doc) == [B])
doc = expect("filter kind", "coord", "GET", "/tips?kind=expired", 200)
check("kind=expired: A", codes(doc) == [A])
doc = expect("filter product", "coord", "GET", "/tips?product=liquor", 200)
check("product=liquor: B", codes(doc) == [B])
doc = expect("q, three characters (the trigram index)", "coord", "GET",
             "/tips?q=%E8%BF%87%E6%9C%9F%E5%A5%B6", 200)
check("q=过期奶: A", codes(doc) == [A])
doc = expect("q, two characters (a scan)", "coord", "GET",
             "/tips?q=%E5%81%87%E9%85%92", 200)
check("q=假酒: B", codes(doc) == [B])
doc = expect("q with LIKE's wildcards is literal", "coord", "GET",
             "/tips?q=%25%25", 200)
check("q=%%: nothing", codes(doc) == [])
doc = expect("q, SQL-looking", "coord", "GET",
             "/tips?q=%27%3B%20DROP%20TABLE%20tips%3B%20--", 200)
check("q=SQL: nothing, and no error", codes(doc) == [])
doc = expect("q with FTS syntax is a phrase", "coord", "GET",
             "/tips?q=%22%20OR%20%2A%20NEAR", 200)
check("q=FTS syntax: nothing", codes(doc) == [])
for q in ("1391", "12345", "45678", "34", "56"):
    for user in ("coord", "office1"):
        doc = expect("q=%s (%s): searched in the masked text" % (q, user),
                     user, "GET", "/tips?q=" + q, 200)
        check("q=%s (%s): no tip found by a masked digit" % (q, user),
              codes(doc) == [])
doc = expect("q=139: the digits every answer shows", "coord", "GET",
             "/tips?q=139", 200)
check("q=139: found", codes(doc) == [A])
doc = expect("since/until: today", "coord", "GET",
             "/tips?since=2000-01-01&until=2100-01-01", 200)
check("since/until: both", len(doc["tips"]) == 2)
doc = expect("since the future: none", "coord", "GET",
             "/tips?since=2100-01-01", 200)
check("since 2100: nothing", codes(doc) == [])
for q, why in (("state=pending", "parameter state"),
               ("township=4117", "parameter township"),
               ("limit=0", "parameter limit"),
               ("limit=501", "parameter limit"),
               ("limit=ten", "parameter limit"),
               ("cursor=abc", "parameter cursor"),
               ("since=yesterday", "parameter since"),
               ("q=" + "x" * 65, "parameter q"),
               ("q=", "parameter q"),
               ("phone=1", "unknown parameter: phone")):
    expect("bad query %s: 400 naming it" % q[:20], "coord", "GET",
           "/tips?" + q, 400, error=why)
expect("a very long query: 400", "coord", "GET", "/tips?kind=" + "y" * 4000,
       400)

# -- one tip ---------------------------------------------------------------
doc = expect("coordinator: a tip with messages and history", "coord", "GET",
             "/tips/" + A, 200)
check("the tip's messages and history", doc["code"] == A and
      len(doc["messages"]) == 1 and len(doc["history"]) >= 2 and
      "139******78" in doc["text"])
expect("no such tip: 404", "coord", "GET", "/tips/ZZZZZZ", 404)
expect("a tip with a query: 400", "coord", "GET", "/tips/" + A + "?x=1", 400)
expect("no such action: 404", "coord", "POST", "/tips/" + A + "/delete", 404,
       body={})
expect("an action by GET: 405", "coord", "GET", "/tips/" + A + "/note", 405)
expect("DELETE /tips: 405", "coord", "DELETE", "/tips", 405)
expect("no such route: 404", "coord", "GET", "/nope", 404)
expect("/api/v1 itself: 404", "coord", "GET", "", 404)

doc = expect("vocabulary", "office1", "GET", "/vocabulary", 200)
check("vocabulary: kinds, products and states in words",
      doc["kinds"]["expired"] == "过期" and
      doc["products"]["baby_food"] == "婴幼儿食品" and
      doc["states"]["routed"]["owner"] == "office" and "new" not in
      doc["states"])

# -- an office: its townships only, never a number -------------------------
doc = expect("office1: the queue", "office1", "GET", "/tips", 200)
check("office1 sees its township's tip only", codes(doc) == [A])
doc = expect("office1 asks for another township", "office1", "GET",
             "/tips?township=411724108", 200)
check("office1: another township's filter gives nothing", codes(doc) == [])
expect("office1: another township's tip is 404", "office1", "GET",
       "/tips/" + B, 404)
expect("office2: another township's tip is 404", "office2", "GET",
       "/tips/" + A, 404)
expect("office1: a note on another township's tip is 404", "office1", "POST",
       "/tips/" + B + "/note", 404, body={"text": "x"})
expect("office1 may not route: 403", "office1", "POST", "/tips/" + A +
       "/route", 403, body={"township": "411724108"})
expect("office1 may not reveal: 403", "office1", "POST", "/tips/" + A +
       "/reveal", 403, body={"reason": "x"})
expect("office1 may not enter hotline tips: 403", "office1", "POST", "/tips",
       403, body={"text": "寒冻镇卖假酒"})
expect("office1 may not list offices: 403", "office1", "GET", "/offices", 403)
expect("office1 may not see the outbox: 403", "office1", "GET", "/outbox",
       403)
expect("office1: the townships", "office1", "GET", "/townships", 200)
doc = expect("office1: who am I", "office1", "GET", "/me", 200)
check("office1: role and townships", doc == {
    "name": "office1", "role": "office", "townships": ["411724101"]})
doc = expect("office1: stats in scope", "office1", "GET", "/stats", 200)
check("office1: stats count its tip only", doc["states"] == {"routed": 1})
doc = expect("office1 takes the tip (assign)", "office1", "POST",
             "/tips/" + A + "/assign", 200, body={"to": "老王"})
check("assign: acknowledged, by office1", doc["state"] == "acknowledged" and
      any(h["actor"] == "api:office1" and h["action"] ==
          "tip.office_ack" for h in doc["history"]), doc.get("history"))
expect("assign twice: 409", "office1", "POST", "/tips/" + A + "/assign", 409,
       body={})
doc = expect("office1: a note", "office1", "POST", "/tips/" + A + "/note", 200,
             body={"text": "已派人核查"})
LONG = "核" * 999 + "完"
doc = expect("a note of 1000 characters", "coord", "POST",
             "/tips/" + A + "/note", 200, body={"text": LONG})
check("the note is kept whole", any(LONG in (h["detail"] or "")
                                    for h in doc["history"]))
doc = expect("coordinator: a note with the reporter's number", "coord", "POST",
             "/tips/" + A + "/note", 200,
             body={"text": "举报人13900000001说还有一家"})
check("a number in a note is masked in the history",
      not any("13900000001" in (h["detail"] or "") for h in doc["history"]))
doc = expect("office1 reads the history", "office1", "GET", "/tips/" + A, 200)
check("the note is in the history",
      any("已派人核查" in (h["detail"] or "") for h in doc["history"]))
doc = expect("office1: extend", "office1", "POST", "/tips/" + A + "/extend",
             200, body={"approver": "张局长", "reason": "需抽样，举报人13900000001要求回电"})
check("extend: extended_by", doc["extended_by"] == "张局长")
check("extend: a number in the reason is masked",
      "13900000001" not in json.dumps(doc) and
      "139******01" in doc["extension_reason"])
expect("extend again: 409", "office1", "POST", "/tips/" + A + "/extend", 409,
       body={"approver": "张局长", "reason": "再延"})
expect("extend without an approver: 400", "office1", "POST", "/tips/" + A +
       "/extend", 400, body={"reason": "x"}, error="missing field: approver")
doc = expect("office1: pause", "office1", "POST", "/tips/" + A + "/pause", 200,
             body={"reason": "样品送检"})
check("pause: paused_from set", doc["paused_from"] is not None)
expect("pause twice: 409", "office1", "POST", "/tips/" + A + "/pause", 409,
       body={"reason": "again"})
doc = expect("office1: resume", "office1", "POST", "/tips/" + A + "/resume",
             200)
check("resume: the clock runs", doc["paused_from"] is None)
expect("resume a running clock: 409", "office1", "POST", "/tips/" + A +
       "/resume", 409)
expect("resume with a body field: 400", "office1", "POST", "/tips/" + A +
       "/resume", 400, body={"x": 1}, error="unknown field: x")

# -- the coordinator: route, reveal --------------------------------------
expect("route to a bad code: 400", "coord", "POST", "/tips/" + B + "/route",
       400, body={"township": "abc"}, error="field township")
expect("route to a township with no office: 409", "coord", "POST",
       "/tips/" + B + "/route", 409, body={"township": "411724214"},
       error="no office")
doc = expect("coordinator routes B to 寒冻镇", "coord", "POST",
             "/tips/" + B + "/route", 200,
             body={"township": "411724101",
                   "reason": "实为寒冻镇，举报人13900000002说的"})
check("route: routed to 寒冻所", doc["state"] == "routed" and
      doc["office"] == "寒冻所" and doc["township_code"] == "411724101")
doc = expect("office1 now sees B", "office1", "GET", "/tips/" + B, 200)
expect("office2 no longer sees B", "office2", "GET", "/tips/" + B, 404)
expect("reveal without a reason: 400", "coord", "POST", "/tips/" + A +
       "/reveal", 400, body={}, error="missing field: reason")
doc = expect("coordinator reveals A's reporter", "coord", "POST",
             "/tips/" + A + "/reveal", 200, body={"reason": "回访举报人核实细节"})
check("reveal: the number", doc == {"code": A, "phone": "+8613900000001"})
doc = expect("admin reveals too", "admin", "POST", "/tips/" + B + "/reveal",
             200, body={"reason": "复核"})
check("admin reveal: the number", doc["phone"] == "+8613900000002")
doc = expect("the reveal is in the history", "coord", "GET", "/tips/" + A, 200)
check("history: tip.revealed by coord with the reason, no number",
      any(h["action"] == "tip.revealed" and h["actor"] == "api:coord" and
          "回访" in h["detail"] and "139" not in h["detail"]
          for h in doc["history"]))
expect("reveal an unknown tip: 404", "coord", "POST", "/tips/ZZZZZZ/reveal",
       404, body={"reason": "x"})
doc = expect("offices", "coord", "GET", "/offices", 200)
check("offices: both", sorted(o["name"] for o in doc["offices"]) ==
      ["寒冻所", "袁寨所"])
doc = expect("townships", "coord", "GET", "/townships", 200)
check("townships: the demo county", len(doc["townships"]) > 10)
doc = expect("outbox", "coord", "GET", "/outbox", 200)
check("outbox: rows, no key, numbers masked", len(doc["outbox"]) > 0 and
      all("key" not in r for r in doc["outbox"]) and
      not any(n in json.dumps(doc) for n in NUMBERS))
doc = expect("outbox?state=sent", "coord", "GET", "/outbox?state=sent", 200)
check("outbox?state=sent: sent rows only",
      all(r["state"] == "sent" for r in doc["outbox"]))
expect("outbox?state=lost: 400", "coord", "GET", "/outbox?state=lost", 400,
       error="parameter state")
expect("outbox?x=1: 400", "coord", "GET", "/outbox?x=1", 400)

# -- hotline intake ------------------------------------------------------
doc = expect("hotline1: a tip with the caller's number, no SMS", "hotline1",
             "POST", "/tips", 201, body={
                 "text": "寒冻镇固城村小卖部卖过期面包", "phone": "13900000077",
                 "ack": False})
H1 = doc["code"]
check("hotline tip: channel, placed, code and PIN",
      doc["channel"] == "hotline" and doc["state"] == "routed" and
      doc["township_code"] == "411724101" and len(doc["pin"]) == 4 and
      any(h["actor"] == "api:hotline1" for h in doc["history"]))
doc = expect("hotline1: anonymous, the township chosen", "hotline1", "POST",
             "/tips", 201, body={"text": "有人卖三无辣条", "phone": None,
                                 "township": "411724108"})
H2 = doc["code"]
check("anonymous: placed where the operator said",
      doc["township_code"] == "411724108" and doc["state"] == "routed")
doc = expect("hotline1: no place, no township: the coordinator", "hotline1",
             "POST", "/tips", 201, body={"text": "有人卖假酒"})
check("no place: triage, not a question", doc["state"] == "triage")
TRIAGE = doc["code"]
doc = expect("hotline2: a caller who wants the SMS", "hotline2", "POST",
             "/tips", 201, body={"text": "袁寨乡小卖部卖变质牛奶",
                                 "phone": "13900000078", "ack": True})
H3 = doc["code"]
doc = expect("hotline1: its own tips", "hotline1", "GET", "/tips", 200)
check("hotline1 sees the tips it entered only",
      set(codes(doc)) >= {H1, H2} and H3 not in codes(doc) and
      A not in codes(doc))
expect("hotline1: an SMS tip is 404", "hotline1", "GET", "/tips/" + A, 404)
expect("hotline1: hotline2's tip is 404", "hotline1", "GET", "/tips/" + H3,
       404)
expect("hotline2: hotline1's tip is 404", "hotline2", "GET", "/tips/" + H1,
       404)
doc = expect("hotline1: a note on its tip", "hotline1", "POST",
             "/tips/" + H1 + "/note", 200, body={"text": "来电人补充：下午三点"})
for action, body in (("route", {"township": "411724101"}),
                     ("close", {"result": "x"}), ("assign", {}),
                     ("extend", {"approver": "a", "reason": "b"}),
                     ("pause", {"reason": "x"}), ("resume", {}),
                     ("reveal", {"reason": "x"})):
    expect("hotline1 may not %s: 403" % action, "hotline1", "POST",
           "/tips/%s/%s" % (H1, action), 403, body=body)
expect("hotline1 may not list offices: 403", "hotline1", "GET", "/offices",
       403)
expect("hotline1 may not see the outbox: 403", "hotline1", "GET", "/outbox",
       403)
expect("ack without a phone: 400", "hotline1", "POST", "/tips", 400,
       body={"text": "卖假酒", "ack": True}, error="field ack")
for bad in ("12345", "+8612345678901", "1390000007", "00861390000007",
            "139-0000-0077"):
    expect("phone %s: 400" % bad, "hotline1", "POST", "/tips", 400,
           body={"text": "卖假酒", "phone": bad}, error="field phone")
expect("an unknown township: 400", "hotline1", "POST", "/tips", 400,
       body={"text": "卖假酒", "township": "999999999"},
       error="field township")
expect("ack to a landline: 400", "hotline1", "POST", "/tips", 400,
       body={"text": "卖假酒", "phone": "03965551234", "ack": True},
       error="field ack")
doc = expect("a landline without ack: 201", "hotline1", "POST", "/tips", 201,
             body={"text": "寒冻镇有人卖假酒", "phone": "03965551234"})
expect("text missing: 400", "hotline1", "POST", "/tips", 400,
       body={"phone": None}, error="missing field: text")
expect("text of the wrong type: 400", "hotline1", "POST", "/tips", 400,
       body={"text": 5}, error="field text")
expect("ack of the wrong type: 400", "hotline1", "POST", "/tips", 400,
       body={"text": "卖假酒", "ack": "yes"}, error="field ack")
expect("an unknown field: 400", "hotline1", "POST", "/tips", 400,
       body={"text": "卖假酒", "reporter": "x"}, error="unknown field: reporter")
expect("bad JSON: 400", "hotline1", "POST", "/tips", 400, raw=b"{\"text\":",
       error="not JSON")
expect("a JSON array: 400", "hotline1", "POST", "/tips", 400, raw=b"[1]",
       error="JSON object")
expect("a duplicate field: 400", "hotline1", "POST", "/tips", 400,
       raw='{"text":"a","text":"b"}'.encode())
expect("invalid UTF-8: 400", "hotline1", "POST", "/tips", 400,
       raw=b'{"text":"\xff\xfe"}')
expect("a control character: 400", "hotline1", "POST", "/tips", 400,
       body={"text": "卖假酒\u001b[2J"}, error="control characters")
expect("a NUL: 400", "hotline1", "POST", "/tips", 400,
       raw=b'{"text":"a\\u0000b"}')
expect("text too long: 400", "hotline1", "POST", "/tips", 400,
       body={"text": "假" * 2001}, error="longer than 2000")
expect("a body over 64 KiB: 413", "hotline1", "POST", "/tips", 413,
       raw=b'{"text":"' + b"a" * (65 * 1024) + b'"}')
doc = expect("SQL-looking text is kept as text", "hotline1", "POST", "/tips",
             201, body={"text": "'); DROP TABLE tips; -- 寒冻镇卖假酒"})
check("the SQL-looking text, verbatim", doc["text"].startswith("'); DROP"))

# -- closing ---------------------------------------------------------------
doc = expect("office1 closes A with its result", "office1", "POST",
             "/tips/" + A + "/close", 200, body={"result": "已查处，没收过期奶粉"})
check("closed by the office (办结)", doc["state"] == "closed" and
      any(h["action"] == "tip.office_done" for h in doc["history"]))
expect("close again: 409", "office1", "POST", "/tips/" + A + "/close", 409,
       body={"result": "x"})
doc = expect("coordinator closes B", "coord", "POST", "/tips/" + B + "/close",
             200, body={"result": "重复举报"})
check("closed by the coordinator", doc["state"] == "closed" and
      any(h["action"] == "tip.close" for h in doc["history"]))
expect("close without a result: 400", "coord", "POST", "/tips/" + H1 +
       "/close", 400, body={}, error="missing field: result")
doc = expect("stats", "coord", "GET", "/stats", 200)
check("stats: closed 2, months by township and kind",
      doc["states"].get("closed") == 2 and
      any(m["township"] == "寒冻镇" and m["count"] >= 1
          for m in doc["months"]))

# -- an admin: users and offices -------------------------------------------
doc = expect("admin: the users", "admin", "GET", "/users", 200)
check("users: every user, never a token or its hash",
      {"admin", "coord", "office1", "gone"} <= {u["name"] for u in
                                                doc["users"]} and
      "tipgw_" not in json.dumps(doc) and
      not any(len(str(v)) == 64 for u in doc["users"] for v in u.values()))
for user in ("coord", "office1", "hotline1"):
    expect("%s may not list users: 403" % user, user, "GET", "/users", 403)
    expect("%s may not add users: 403" % user, user, "POST", "/users", 403,
           body={"name": "x", "role": "admin"})
expect("coord may not add offices: 403", "coord", "POST", "/offices", 403,
       body={"name": "x"})
doc = expect("admin adds an office's user", "admin", "POST", "/users", 201,
             body={"name": "office3", "role": "office",
                   "townships": ["411724108"]})
check("the new user's token, once", doc["token"].startswith("tipgw_") and
      len(doc["token"]) == 49 and doc["townships"] == ["411724108"])
TOKENS["office3"] = doc["token"]
doc = expect("the new token works", "office3", "GET", "/me", 200)
check("the new user: office of 袁寨", doc["role"] == "office" and
      doc["townships"] == ["411724108"])
expect("a name taken: 409", "admin", "POST", "/users", 409,
       body={"name": "office3", "role": "hotline"}, error="exists already")
for body, why in (({"name": "x", "role": "boss"}, "field role"),
                  ({"name": "x", "role": "office"}, "needs at least one"),
                  ({"name": "x", "role": "coordinator",
                    "townships": ["411724101"]}, "is for an office"),
                  ({"name": "x", "role": "office", "townships": "411724101"},
                   "field townships"),
                  ({"name": "x", "role": "office", "townships": ["4117"]},
                   "field townships"),
                  ({"name": " x", "role": "admin"}, "field name"),
                  ({"name": "x\u0007", "role": "admin"}, "field name"),
                  ({"role": "admin"}, "missing field: name")):
    expect("add user %s: 400" % json.dumps(body, ensure_ascii=False)[:40],
           "admin", "POST", "/users", 400, body=body, error=why)
expect("a township not in the gazetteer: 409", "admin", "POST", "/users", 409,
       body={"name": "y", "role": "office", "townships": ["999999999"]},
       error="not in the gazetteer")
doc = expect("admin revokes office3", "admin", "POST", "/users/office3/revoke",
             200)
check("revoked: its time", doc["name"] == "office3" and doc["revoked"])
expect("the revoked token: 401", "office3", "GET", "/me", 401)
expect("revoke again: 404", "admin", "POST", "/users/office3/revoke", 404)
expect("revoke no one: 404", "admin", "POST", "/users/nobody/revoke", 404)
expect("an admin revoking itself: 409", "admin", "POST",
       "/users/admin/revoke", 409)
expect("coord may not revoke: 403", "coord", "POST", "/users/office1/revoke",
       403)
expect("a user action that is none: 404", "admin", "POST",
       "/users/office1/delete", 404)
doc = expect("admin adds an office", "admin", "POST", "/offices", 201,
             body={"name": "兰青所", "townships": ["411724214"],
                   "phones": ["13800000777"], "email": "lq@example.org"})
check("the office as added", doc["name"] == "兰青所" and
      doc["townships"] == ["411724214"] and doc["phones"] == ["13800000777"])
expect("an office name taken: 409", "admin", "POST", "/offices", 409,
       body={"name": "兰青所"}, error="already exists")
expect("another office's township: 409", "admin", "POST", "/offices", 409,
       body={"name": "二所", "townships": ["411724214"]},
       error="already belongs")
for body, why in (({"name": "x", "phones": ["12ab"]}, "field phones"),
                  ({"name": "x", "webhook_url": "ftp://x"},
                   "field webhook_url"),
                  ({"name": "x", "webhook_format": "slack"},
                   "field webhook_format"),
                  ({"name": "x", "email": "a@b.c\r\nBcc: d@e.f"},
                   "field email"),
                  ({"name": "x", "phones": ["1"] * 33}, "field phones"),
                  ({"townships": ["411724214"]}, "field name")):
    expect("add office %s: 400" % json.dumps(body, ensure_ascii=False)[:40],
           "admin", "POST", "/offices", 400, body=body, error=why)
LANQING = "/offices/%E5%85%B0%E9%9D%92%E6%89%80"
doc = expect("admin changes the office", "admin", "POST", LANQING, 200,
             body={"email": None,
                   "webhook_url": "https://example.org/hook"})
check("changed: e-mail cleared, webhook set", doc["email"] is None and
      doc["webhook_url"] == "https://example.org/hook" and
      doc["phones"] == ["13800000777"])
doc = expect("admin renames the office", "admin", "POST", LANQING, 200,
             body={"name": "兰青乡所"})
check("renamed", doc["name"] == "兰青乡所")
expect("the old name is gone: 404", "admin", "POST", LANQING, 404, body={})
expect("a malformed name in the path: 404", "admin", "POST", "/offices/%E5%8",
       404, body={})
expect("coord may not change offices: 403", "coord", "POST",
       "/offices/%E5%AF%92%E5%86%BB%E6%89%80", 403, body={"email": None})
expect("GET an office: 405", "admin", "GET",
       "/offices/%E5%AF%92%E5%86%BB%E6%89%80", 405)
LONGNAME = "热线" * 31 + "员"
doc = expect("admin adds a hotline user with a long name", "admin", "POST",
             "/users", 201, body={"name": LONGNAME, "role": "hotline"})
TOKENS["long"] = doc["token"]
made = []
for i in range(2):
    doc = expect("the long-named operator enters tip %d" % (i + 1), "long",
                 "POST", "/tips", 201,
                 body={"text": "寒冻镇有人卖过期饮料%d" % i})
    made.append(doc["code"])
    check("its actor is its whole name", any(
        h["actor"] == "api:" + LONGNAME for h in doc["history"]))
doc = expect("the long-named operator's tips", "long", "GET", "/tips", 200)
check("both of its tips are in the ledger", sorted(codes(doc)) ==
      sorted(made))
doc = expect("admin gives 兰青乡所 a webhook with a password", "admin", "POST",
             "/offices/%E5%85%B0%E9%9D%92%E4%B9%A1%E6%89%80", 200,
             body={"webhook_url": "http://robot:s3cret@127.0.0.1:9/hook?key=k"})
doc = expect("coordinator routes a tip to 兰青乡", "coord", "POST",
             "/tips/" + TRIAGE + "/route", 200,
             body={"township": "411724214"})
for _ in range(150):        # the outbox renders alerts every 2 s
    doc = call("coord", "GET", "/outbox")[1]
    hooks = [r["destination"] for r in doc["outbox"]
             if r["channel"] == "webhook"]
    if hooks:
        break
    time.sleep(0.1)
check("a webhook's user and password are not shown", hooks and
      all(d == "http://127.0.0.1:9/..." for d in hooks), hooks)
doc = expect("the township has its office now", "coord", "GET", "/townships",
             200)
check("兰青乡: 兰青乡所", any(t["code"] == "411724214" and
                            t["office"] == "兰青乡所" for t in doc["townships"]))

# -- no reporter's number to an office or a hotline operator --------------
leaks(NUMBERS, ("office1", "office2", "hotline1", "hotline2"))
print("ok - the end")
