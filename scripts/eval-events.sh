#!/usr/bin/env bash
# Issues 5, 6 and 7 acceptance on ../shared: events, actor countries, places
# and dates against the dev news gold and the PLOVER dev sentences.
set -euo pipefail
cd "$(dirname "$0")/.."
ANNALIST=${ANNALIST:-target/release/annalist}
shared=../shared

seed_record=$("$ANNALIST" code "$shared/gold/seed.txt")
seed_eval=$("$ANNALIST" eval events --json "$shared/gold/seed.gold.json")
news=$("$ANNALIST" eval events --json "$shared/gold/dev")
plover=$("$ANNALIST" eval events --json "$shared/data/plover/gsr_dev.jsonl")
"$ANNALIST" eval events "$shared/gold/dev" | head -30
"$ANNALIST" eval events "$shared/data/plover/gsr_dev.jsonl" | head -8

python3 - "$news" "$plover" "$seed_record" "$seed_eval" "$shared/gold/seed.gold.json" <<'PY'
import json, sys
news = json.loads(sys.argv[1])["news"]
plover = json.loads(sys.argv[2])["plover"]
record = json.loads(sys.argv[3])
seed = json.loads(sys.argv[4])["news"]
gold = json.load(open(sys.argv[5]))
def f1(p):
    pr = p["correct_predicted"] / p["predicted"] if p["predicted"] else 0
    rc = p["correct_gold"] / p["gold"] if p["gold"] else 0
    return 2 * pr * rc / (pr + rc) if pr + rc else 0
def acc(a):
    return a["correct"] / a["total"] if a["total"] else 0
checks = [
    ("issue 6: dev news event F1 >= 0.55", f1(news["events"]), 0.55),
    ("issue 5: dev news actor country >= 0.85", acc(news["actor_country"]), 0.85),
    ("issue 7: dev news location@161km >= 0.80", acc(news["location"]), 0.80),
    # Only the Wikinews documents of the dev gold give event dates.
    ("issue 7: dev news (Wikinews) event dates >= 0.80", acc(news["date"]), 0.80),
    ("issue 6: PLOVER event type >= 0.80", acc(plover["event_type"]), 0.80),
    ("issue 6: PLOVER type + dyad >= 0.70", acc(plover["type_and_dyad"]), 0.70),
    ("issue 5: PLOVER actor country >= 0.85", acc(plover["actor_country"]), 0.85),
]
spurious = plover["spurious"] / max(plover["sentences"], 1)
failed = 0

# The seed (issues 5 and 6): each gold actor with the gold country and one of
# its gold sectors; "General Mirzo" and "Mirzo" merged into Shirali Mirzo; all
# required events with gold type and dyad; none placed in Tehran; no news
# agency as an actor.
text = record["text"]
ents = {e["id"]: e for e in record["entities"]}
def actor_named(name):
    return next((a for a in record["actors"] if a["name"] == name), None)
for g in gold["actors"]:
    a = actor_named(g["name"])
    ok = a is not None and a["country"] == g["country"] and any(s in g["sectors"] for s in a["sectors"])
    failed += not ok
    print(f"{'ok  ' if ok else 'MISS'} issue 5: seed actor {g['name']} {g['country']} {g['sectors']}: "
          f"{(a or {}).get('country')} {(a or {}).get('sectors')}")
mirzo = actor_named("Shirali Mirzo") or {"mentions": []}
mentions = [ents[m]["text"] for m in mirzo["mentions"]]
ok = any(m != "Shirali Mirzo" and "Mirzo" in m for m in mentions)
failed += not ok
print(f"{'ok  ' if ok else 'MISS'} issue 5: seed Mirzo mentions merged: {mentions}")
ok = seed["events"]["correct_gold"] == seed["events"]["gold"]
failed += not ok
print(f"{'ok  ' if ok else 'MISS'} issue 6: seed required events found: {seed['events']['correct_gold']}/{seed['events']['gold']}")
in_tehran = [e for e in record["events"] if (e.get("location") or {}).get("name") == "Tehran"]
agencies = [a["name"] for a in record["actors"] if any(x in a["name"] for x in ("Mehr", "Fars", "Tasnim"))]
ok = not in_tehran and not agencies
failed += not ok
print(f"{'ok  ' if ok else 'MISS'} issue 6: seed: no event in Tehran ({len(in_tehran)}), no agency as an actor ({agencies})")
for name, value, target in checks:
    ok = value >= target
    failed += not ok
    print(f"{'ok  ' if ok else 'MISS'} {name}: {value:.3f}")
ok = spurious <= 0.5
failed += not ok
print(f"{'ok  ' if ok else 'MISS'} issue 6: PLOVER spurious events per sentence <= 0.5: {spurious:.3f}")
sys.exit(1 if failed else 0)
PY
