#!/usr/bin/env python3
"""The event corpus: stand-off annotations in corpus/events/ (ids, strings, codes; no article
text), resolved against the news articles in ../shared/data/news.

  corpus.py standoff POOL.jsonl ANN_DIR OUT_DIR [--note TEXT]
      Turn annotator files (ANNOTATING.md format, checked by annot_check.py) into stand-off
      files: `evidence` becomes `evidence_span`, code-point offsets into the article text.
  corpus.py gold OUT_DIR [--events DIR] [--news FILE...]
      Materialise full gold files (*.gold.json, with text) from the stand-off files, for
      ../shared/tools/score.py.
  corpus.py agreement [--events DIR] [--second DIR]
      Event F1 between the first (DIR/first) and second (DIR/second) annotations of the
      articles annotated twice; DIR itself holds their adjudicated versions.
  corpus.py stats [--events DIR]
      Articles and events per type, with the shared train corpus.
"""
import argparse, glob, gzip, json, os, sys, collections

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(ROOT, "..", "shared")
NEWS = [os.path.join(SHARED, "data/news/tehrantimes/articles.jsonl.gz"),
        os.path.join(SHARED, "data/news/wikinews/articles.jsonl")]
EVENTS = os.path.join(ROOT, "corpus", "events")


def read_jsonl(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as e:
                    sys.exit(f"{path}:{n}: not JSON ({e})")


def standoff(a):
    pool = {d["doc_id"]: d for d in read_jsonl(a.pool)}
    os.makedirs(a.out, exist_ok=True)
    n = 0
    for p in sorted(glob.glob(os.path.join(a.ann, "*.ann.json"))):
        ann = json.load(open(p, encoding="utf-8"))
        doc = pool.get(ann["doc_id"])
        if doc is None:
            sys.exit(f"{p}: doc_id {ann['doc_id']} is not in {a.pool}")
        text = doc["text"]
        events = []
        for i, e in enumerate(ann.get("events", [])):
            ev = e.pop("evidence")
            start = text.find(ev)
            if start < 0:
                sys.exit(f"{p}: events[{i}].evidence is not in the article; hint: run annot_check.py first")
            out = {"type": e.pop("type"), **{k: v for k, v in e.items()}}
            out["evidence_span"] = [start, start + len(ev)]
            events.append(out)
        rec = {"doc_id": ann["doc_id"], "annotation": a.note, "events": events,
               "notes": ann.get("notes", "")}
        with open(os.path.join(a.out, ann["doc_id"] + ".ann.json"), "w", encoding="utf-8") as f:
            json.dump(rec, f, ensure_ascii=False, indent=1)
            f.write("\n")
        n += 1
    print(f"{n} stand-off files written to {a.out}")


def articles(paths, wanted):
    out = {}
    for path in paths:
        for d in read_jsonl(path):
            if d["doc_id"] in wanted:
                out[d["doc_id"]] = d
    return out


def gold(a):
    files = sorted(glob.glob(os.path.join(a.events, "*.ann.json")))
    anns = [json.load(open(p, encoding="utf-8")) for p in files]
    docs = articles(a.news, {x["doc_id"] for x in anns})
    os.makedirs(a.out, exist_ok=True)
    missing = 0
    for ann in anns:
        d = docs.get(ann["doc_id"])
        if d is None:
            missing += 1
            continue
        text = d["text"]
        events = []
        for e in ann["events"]:
            e = dict(e)
            s, t = e.pop("evidence_span")
            e["evidence"] = text[s:t]
            events.append(e)
        g = {k: d[k] for k in ("doc_id", "url", "publisher", "license", "published", "title") if d.get(k)}
        g.update({"split": "train", "exhaustive": True, "annotation": ann.get("annotation"),
                  "text": text, "events": events, "notes": ann.get("notes", "")})
        with open(os.path.join(a.out, ann["doc_id"] + ".gold.json"), "w", encoding="utf-8") as f:
            json.dump(g, f, ensure_ascii=False, indent=1)
    print(f"{len(anns) - missing} gold files written to {a.out}" + (f"; {missing} articles not found in {a.news}" if missing else ""))
    if missing:
        sys.exit(1)


def stats(a):
    c, n = collections.Counter(), 0
    for p in glob.glob(os.path.join(SHARED, "gold/train/*.gold.json")):
        n += 1
        c.update(e["type"] for e in json.load(open(p))["events"])
    m = 0
    for p in glob.glob(os.path.join(a.events, "*.ann.json")):
        m += 1
        c.update(e["type"] for e in json.load(open(p))["events"])
    print(f"articles: {n} shared + {m} ours = {n + m}; events: {sum(c.values())}")
    for t, k in sorted(c.items(), key=lambda x: x[1]):
        print(f"  {t:<10} {k}")


def countries(side):
    c = (side or {}).get("country")
    return frozenset([{"UNO": "IGO", "EUR": "IGO"}.get(c, c)]) if c else frozenset()


def matches(a, b):
    """Whether two annotated events are the same event as score.py matches them: a type of one
    among the other's type and alternatives, and the same source and target countries (the
    same parties, for a symmetric event)."""
    if not ({a["type"], *a.get("alt_types", [])} & {b["type"], *b.get("alt_types", [])}):
        return False
    sa, ta, sb, tb = countries(a.get("source")), countries(a.get("target")), countries(b.get("source")), countries(b.get("target"))
    if sa == sb and ta == tb:
        return True
    return a.get("symmetric", False) and (sa | ta) == (sb | tb)


def agreement(a):
    tp = n1 = n2 = 0
    docs = 0
    firsts = os.path.join(a.events, "first")
    if not os.path.isdir(firsts):
        firsts = a.events
    for p in sorted(glob.glob(os.path.join(a.second, "*.ann.json"))):
        first = os.path.join(firsts, os.path.basename(p))
        if not os.path.exists(first):
            continue
        docs += 1
        e1 = json.load(open(first))["events"]
        e2 = json.load(open(p))["events"]
        used = set()
        for x in e1:
            for j, y in enumerate(e2):
                if j not in used and matches(x, y):
                    used.add(j); tp += 1
                    break
        n1 += len(e1); n2 += len(e2)
    f = 2 * tp / (n1 + n2) if n1 + n2 else 0
    print(json.dumps({"docs": docs, "events_first": n1, "events_second": n2, "matched": tp, "event_f1": round(f, 4)}))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("standoff")
    s.add_argument("pool"); s.add_argument("ann"); s.add_argument("out")
    s.add_argument("--note", default="blind, by ANNOTATING.md")
    g = sub.add_parser("gold")
    g.add_argument("out"); g.add_argument("--events", default=EVENTS); g.add_argument("--news", nargs="+", default=NEWS)
    r = sub.add_parser("agreement", help="event F1 between first and second annotations")
    r.add_argument("--events", default=EVENTS); r.add_argument("--second", default=os.path.join(EVENTS, "second"))
    t = sub.add_parser("stats")
    t.add_argument("--events", default=EVENTS)
    a = ap.parse_args()
    {"standoff": standoff, "gold": gold, "stats": stats, "agreement": agreement}[a.cmd](a)


if __name__ == "__main__":
    main()
