#!/usr/bin/env python3
"""Score `tipgwctl classify` output against a labelled corpus.

usage: score.py LABELLED.jsonl CLASSIFIED.jsonl [--show-misses]

Prints is-tip accuracy, township accuracy (over tips whose label names a
township), kind and product accuracy (over tips with a label), follow-up
precision, recall and F1, each with its target, and exits 1 if one is
missed.
"""
import json
import sys

TARGETS = {"is_tip": 0.97, "township": 0.97, "kind": 0.92, "product": 0.90,
           "followup_f1": 0.92}


def main():
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
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
