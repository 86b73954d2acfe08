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
  corpus.py sample OUT_DIR [--batches 6] [--size 42] [--wikinews 3] [--second 5] [--seed N]
      Draw annotator batches (batchN.jsonl: doc_id, url, text) of articles no one has
      annotated (not in the corpus, ../shared/gold/train or ../shared/gold/dev): Tehran Times
      articles of 700-3,000 characters naming at least three political words, plus unused
      Wikinews articles, and a last batch of `--second` articles from each for a second
      annotation.
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
    n = nulled = 0
    for p in sorted(glob.glob(os.path.join(a.ann, "*.ann.json"))):
        ann = json.load(open(p, encoding="utf-8"))
        doc = pool.get(ann["doc_id"])
        if doc is None:
            sys.exit(f"{p}: doc_id {ann['doc_id']} is not in {a.pool}")
        text = doc["text"]
        events = []
        for i, e in enumerate(ann.get("events", [])):
            # Annotators are told dates come from the text, yet some fill a
            # year from their own knowledge ("Thursday, June 25" -> 2020):
            # a date whose year the article does not state is unknown.
            if e.get("date") and str(e["date"])[:4] not in text:
                e["date"] = None
                nulled += 1
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
    print(f"{n} stand-off files written to {a.out}; {nulled} dates whose year the text does not give set to null")


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


POLITICAL = r"\b(minister|president|talks|sanction\w*|attack\w*|troops|protest\w*|agreement|accus\w+|urged|condemn\w*|met|visit\w*|arrest\w*|killed|warn\w*)\b"


def sample(a):
    import random, re
    random.seed(a.seed)
    used = set()
    # The news files hold copies of gold articles under other ids (the seed
    # is tt-472704): the openings of the seed's and the gold files' texts are
    # kept out too, so that no test or worked example is annotated.
    opening = lambda t: " ".join(t.split())[:150]
    held = {opening(open(os.path.join(SHARED, "gold", "seed.txt"), encoding="utf-8").read())}
    for d in ("train", "dev"):
        for p in glob.glob(os.path.join(SHARED, "gold", d, "*.gold.json")):
            g = json.load(open(p, encoding="utf-8"))
            used.add(g["doc_id"])
            held.add(opening(g.get("text", "")))
    for p in glob.glob(os.path.join(a.events, "*.ann.json")):
        used.add(os.path.basename(p)[: -len(".ann.json")])
    pol = re.compile(POLITICAL, re.I)
    tt, wn, seen = [], [], set()
    for d in read_jsonl(NEWS[0]):
        # Duplicates of one report share their opening.
        if d["doc_id"] in used or opening(d["text"]) in held:
            continue
        if not 700 <= len(d["text"]) <= a.max_chars or d["text"][:200] in seen:
            continue
        seen.add(d["text"][:200])
        if len(pol.findall(d["text"])) >= a.min_political:
            tt.append(d)
    for d in read_jsonl(NEWS[1]):
        if d["doc_id"] not in used and opening(d["text"]) not in held and 700 <= len(d["text"]) <= 6000:
            wn.append(d)
    random.shuffle(tt)
    batches = []
    for i in range(a.batches):
        b = tt[i * a.size:(i + 1) * a.size] + wn[i * a.wikinews:(i + 1) * a.wikinews]
        random.shuffle(b)
        batches.append(b)
    batches.append([d for b in batches for d in b[:a.second]])
    os.makedirs(a.out, exist_ok=True)
    for i, b in enumerate(batches, 1):
        with open(os.path.join(a.out, f"batch{i}.jsonl"), "w", encoding="utf-8") as f:
            for d in b:
                f.write(json.dumps({k: d.get(k) for k in ("doc_id", "url", "text")}, ensure_ascii=False) + "\n")
        print(f"batch{i}.jsonl: {len(b)} articles" + (" (second annotations)" if i == len(batches) else ""))


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
    m = sub.add_parser("sample", help="draw annotator batches of unannotated articles")
    m.add_argument("out"); m.add_argument("--events", default=EVENTS)
    m.add_argument("--batches", type=int, default=6); m.add_argument("--size", type=int, default=42)
    m.add_argument("--wikinews", type=int, default=3); m.add_argument("--second", type=int, default=5)
    m.add_argument("--seed", type=int, default=8001)
    # The Tehran Times articles of 700 to 3,000 characters that name three
    # political words ran out at round 30 (2026-12-07): later rounds draw
    # longer articles (--max-chars) or ones with fewer such words.
    m.add_argument("--max-chars", type=int, default=3000, help="longest Tehran Times article drawn (characters)")
    m.add_argument("--min-political", type=int, default=3, help="fewest political words a drawn article names")
    a = ap.parse_args()
    {"standoff": standoff, "gold": gold, "stats": stats, "agreement": agreement, "sample": sample}[a.cmd](a)


if __name__ == "__main__":
    main()
