#!/usr/bin/env python3
"""Score `tipgwctl classify` output against a labelled corpus.

usage: score.py LABELLED.jsonl CLASSIFIED.jsonl [--show-misses] [--summary]
       score.py --worst SUMMARY...

Prints is-tip accuracy, township accuracy (over tips whose label names a
township), kind and product accuracy (over tips with a label), follow-up
precision, recall and F1, each with its target, and exits 1 if one is
missed. --summary also prints the figures as one JSON line starting
"SUMMARY"; --worst reads such lines (files or "-") and prints, for each
field, every county and the worst one, exiting 1 if the worst misses its
target: leave-one-county-out, the worst county is the figure that counts.
"""
import json
import sys

TARGETS = {"is_tip": 0.97, "township": 0.97, "kind": 0.92, "product": 0.90,
           "followup_f1": 0.92}


FIELDS = ("is_tip", "township", "kind", "product", "followup_f1")


def worst(paths):
    rows = []
    for path in paths:
        f = sys.stdin if path == "-" else open(path, encoding="utf-8")
        for line in f:
            if line.startswith("SUMMARY "):
                rows.append(json.loads(line[len("SUMMARY "):]))
    if not rows:
        sys.exit("score.py: no SUMMARY lines")
    print("  %-12s %s  worst" % ("", " ".join("%8s" % r["county"]
                                              for r in rows)))
    failed = 0
    for k in FIELDS:
        low = min(rows, key=lambda r: r[k])
        ok = low[k] >= TARGETS[k]
        failed += not ok
        scale = 1 if k == "followup_f1" else 100
        fmt = "%8.3f" if k == "followup_f1" else "%8.1f"
        print("  %-12s %s  %s %s (target %s) %s" % (
            k, " ".join(fmt % (scale * r[k]) for r in rows),
            low["county"], (fmt % (scale * low[k])).strip(),
            TARGETS[k] if k == "followup_f1" else "%.0f" % (100 * TARGETS[k]),
            "ok" if ok else "BELOW TARGET"))
    return 1 if failed else 0


def main():
    if "--worst" in sys.argv:
        return worst([a for a in sys.argv[1:] if a != "--worst"])
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    show = "--show-misses" in sys.argv
    if len(args) != 2:
        sys.exit(__doc__)
    labels = [json.loads(line) for line in open(args[0], encoding="utf-8")
              if line.strip()]
    got = {}
    for line in open(args[1], encoding="utf-8"):
        if line.strip():
            o = json.loads(line)
            got[o["id"]] = o
    n = {k: 0 for k in ("is_tip", "township", "kind", "product")}
    ok = dict(n)
    tp = fp = fn = 0
    misses = []
    for row in labels:
        e, g = row["expect"], got.get(row["id"], {})

        def check(metric, want, have):
            n[metric] += 1
            if want == have:
                ok[metric] += 1
            else:
                misses.append((metric, row["id"], want, have, row["text"]))
        check("is_tip", e["is_tip"], g.get("is_tip"))
        if not e["is_tip"]:
            continue
        if e["township_code"] is not None:
            check("township", e["township_code"], g.get("township_code"))
        if e["kind"] is not None:
            check("kind", e["kind"], g.get("kind"))
        if e["product"] is not None:
            check("product", e["product"], g.get("product"))
        want, have = e["needs_followup"], bool(g.get("needs_followup"))
        if want and have:
            tp += 1
        elif have:
            fp += 1
            misses.append(("followup", row["id"], want, have, row["text"]))
        elif want:
            fn += 1
            misses.append(("followup", row["id"], want, have, row["text"]))
    res = {k: ok[k] / n[k] if n[k] else 1.0 for k in n}
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    res["followup_f1"] = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    failed = 0
    for k in ("is_tip", "township", "kind", "product"):
        mark = "ok" if res[k] >= TARGETS[k] else "BELOW TARGET"
        failed += res[k] < TARGETS[k]
        print("  %-12s %6.1f %%  (%d/%d, target %.0f %%) %s" % (
            k, 100 * res[k], ok[k], n[k], 100 * TARGETS[k], mark))
    mark = "ok" if res["followup_f1"] >= TARGETS["followup_f1"] else \
        "BELOW TARGET"
    failed += res["followup_f1"] < TARGETS["followup_f1"]
    print("  %-12s %6.3f    (precision %.3f, recall %.3f, target %.2f) %s"
          % ("followup F1", res["followup_f1"], prec, rec,
             TARGETS["followup_f1"], mark))
    if show:
        for m in misses:
            print("  MISS %-9s %-9s want=%s got=%s  %s" % m)
    if "--summary" in sys.argv:
        county = args[0].rsplit("tips-", 1)[-1].split(".")[0]
        res["county"] = county
        print("SUMMARY " + json.dumps(res, sort_keys=True))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
