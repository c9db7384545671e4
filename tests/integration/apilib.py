"""Helpers of the API checks (api_checks.py, api_campaign.py): a request
with a user's token, a TAP line, an expected status, and every answer's
raw bytes kept by user, for the checks that no number leaks."""
import http.client
import json

PORT = None
TOKENS = {}
SEEN = {}      # user -> every answer's raw bytes


def setup(port, tmp, names):
    global PORT
    PORT = port
    for name in names:
        with open("%s/%s.token" % (tmp, name)) as f:
            TOKENS[name] = f.read().strip()


def call(user, method, path, body=None, raw=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", int(PORT), timeout=10)
    h = dict(headers or {})
    if user is not None:
        h["Authorization"] = "Bearer " + TOKENS.get(user, user)
    data = raw
    if body is not None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    if data is not None:
        h["Content-Type"] = "application/json"
    c.request(method, "/api/v1" + path, body=data, headers=h)
    r = c.getresponse()
    text = r.read()
    c.close()
    SEEN.setdefault(user, []).append(text)
    try:
        doc = json.loads(text.decode("utf-8"))
    except ValueError:
        doc = None
    return r.status, doc, r.getheader("WWW-Authenticate"), \
        r.getheader("Content-Type")


def check(desc, cond, detail=""):
    if cond:
        print("ok - " + desc)
    else:
        print("not ok - %s %s" % (desc, detail))


def expect(desc, user, method, path, status, body=None, raw=None,
           error=None):
    s, doc, _, ctype = call(user, method, path, body, raw)
    good = s == status and ctype.startswith("application/json")
    if error is not None:
        good = good and doc is not None and error in doc.get("error", "")
    check(desc, good, "(got %d %r)" % (s, doc))
    return doc


def leaks(numbers, users):
    """Check each user's answers hold none of the numbers."""
    for user in users:
        found = [n for n in numbers for b in SEEN.get(user, [])
                 if n.encode() in b]
        check("%s: no reporter's number in %d answers" %
              (user, len(SEEN.get(user, []))), not found, found)
