"""A blind, complete gold standard of advice and tasks on three real transcripts, and its scorer (issue 10, round 13).

Usage (from the repository root)::

    python benchmarks/realtalk_gold_r13.py run --work /tmp/r13/gold/work --tag base13       # the CLI, as a user runs it
    python benchmarks/realtalk_gold_r13.py score --work /tmp/r13/gold/work --tag base13 \\
        --out benchmarks/results/realtalk_gold_r13_gold_before.json
    python benchmarks/realtalk_gold_r13.py agreement --out benchmarks/results/realtalk_gold_r13_agreement.json
    python benchmarks/realtalk_gold_r13.py agree-golds --work /tmp/r13/gold2/work \\
        --out benchmarks/results/realtalk_gold_r13_gold2_agreement.json          # the two labellers' golds compared

The gold (``benchmarks/data/realtalk_gold_r13/gold.json``) marks every sentence of three real transcripts
(QMSum ES2004d, SBCSAE SBC044, QMSum education_13) that is advice, a task or meeting procedure; it was
written by one labeller before any output of the system on these files was seen (its header gives the
definitions and decision rules). ``run`` analyses the three sessions with the CLI
(``audit_real_talk.run``; set ``PYTHONPATH`` to score other code, the run records which package it
imported). ``score`` joins the listed items to the gold sentences: an item is on a gold sentence when it
is on one of the sentence's utterances and its text covers at least half of the shorter of the two
(item text, gold sentence) inside that utterance; several items on one sentence count once for recall.

Variants: ``strict`` drops borderline gold (an item on a borderline sentence counts neither way);
``lenient`` counts borderline gold as gold. Recommendations are scored as listed (all) and as advice
(not flagged ``procedure``); tasks as the task list (action items not flagged ``in_meeting``) and as all
action items. ``agreement`` compares earlier rounds' precision labels (one labeller, seeing the output)
with this gold on the items both cover.

A second labeller (``gold2.json``) labelled the same three files blind and independently, and one more QMSum AMI
meeting no audit had used (ES2002d, registered here as ``NEW_FILES``; score it with ``--gold`` pointing at gold2 and
``--sessions`` naming it: it is reported as its own row, ``new_files_never_audited``, never pooled).
``agree-golds`` measures the two golds' sentence-level agreement per kind (counts, percent agreement, Cohen's kappa;
strict: firm labels only, lenient: borderline as a mark) and lists the disagreements.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
from difflib import SequenceMatcher
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import audit_real_talk as art  # noqa: E402
from audit_r12_audit import auc  # noqa: E402

ROOT = art.ROOT
GOLD = ROOT / "benchmarks" / "data" / "realtalk_gold_r13" / "gold.json"
GOLD2 = ROOT / "benchmarks" / "data" / "realtalk_gold_r13" / "gold2.json"  # the second, independent labeller
FILES = ("ES2004d", "SBC044", "education_13")
# round 13 (gold2): a QMSum AMI meeting no audit had used, labelled blind in gold2.json only; prepared and run through
# audit_real_talk's own functions (registered here, not in audit_real_talk.SESSIONS) and scored as its own row
NEW_FILES = {"ES2002d": {"qmsum": "qmsum-topics-queries/ES2002d.json", "people": art._AMI_ROLES}}
for _sid, _spec in NEW_FILES.items():
    art.SESSIONS.setdefault(_sid, _spec)
GOLD_KIND = {"recommendation": "advice", "action": "task"}
COVER = 0.5  # share of the shorter span (item text or gold sentence) the two must share inside an utterance


def load_gold(path: Path = GOLD) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def skeleton(text: str) -> tuple[str, list[int]]:
    """Lower-case letters and digits of ``text`` and, for each, its index in ``text`` (spacing, case, punctuation and
    transcript marks such as ``{disfmarker}`` do not matter)."""
    text = re.sub(r"\{[^{}]*\}|\[[^\[\]]*\]|<[^<>]*>", lambda m: " " * len(m.group()), text)
    keep = [(c.lower(), i) for i, c in enumerate(text) if c.isalnum()]
    return "".join(c for c, _ in keep), [i for _, i in keep]


def locate(part: str, utterance: str) -> tuple[int, int] | None:
    """Character span of ``part`` inside ``utterance``: the whole utterance when the utterance lies inside ``part``
    (a sentence running over several short utterances), else where ``part`` is found (exactly, or its longest common
    stretch when that is most of it); ``None`` when it is not there."""
    ps, _ = skeleton(part)
    us, idx = skeleton(utterance)
    if not ps or not us:
        return None
    if us in ps:
        return 0, len(utterance)
    at = us.find(ps)
    if at >= 0:
        return idx[at], idx[at + len(ps) - 1] + 1
    m = SequenceMatcher(None, us, ps, autojunk=False).find_longest_match(0, len(us), 0, len(ps))
    if m.size >= max(8, 0.6 * len(ps)):
        return idx[m.a], idx[m.a + m.size - 1] + 1
    return None


def covers(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    """Two spans share at least ``COVER`` of the shorter one."""
    if a is None or b is None:
        return False
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter > 0 and inter >= COVER * min(a[1] - a[0], b[1] - b[0])


def item_span(item: dict, utterance: str) -> tuple[int, int] | None:
    """Where a listed item lies in its utterance: its character offsets when given, else its text located."""
    cs, ce = item.get("char_start"), item.get("char_end")
    if isinstance(cs, int) and isinstance(ce, int) and 0 <= cs < ce <= len(utterance):
        return cs, ce
    for text in (item.get("text"), item.get("task")):
        if text:
            span = locate(text, utterance)
            if span is not None:
                return span
    return None


def on_sentence(item: dict, record: dict, utterances: dict[str, str]) -> bool:
    """The listed item lies on the gold sentence: same utterance and enough shared text."""
    uid = item["utterance_id"]
    if uid not in record["utterance_ids"] or uid not in utterances:
        return False
    text = utterances[uid]
    return covers(item_span(item, text), locate(record["sentence"], text))


def norm_name(name: str | None) -> str:
    return re.sub(r"[^a-z0-9]", "", (name or "").lower())


def person(name: str | None, participants: list[dict]) -> str | None:
    """The participant id a name (id, display name or alias, any spelling of case and separators) refers to."""
    key = norm_name(name)
    if not key:
        return None
    for p in participants:
        names = [p.get("id"), p.get("name"), *(p.get("aliases") or [])]
        if key in {norm_name(n) for n in names if n}:
            return p.get("id")
    return None


def listed(session: dict) -> list[dict]:
    """The session's recommendations and action items, with the fields the scorer reads."""
    out = []
    for r in session.get("recommendations") or []:
        out.append({"kind": "recommendation", "utterance_id": r["utterance_id"], "text": r.get("text"),
                    "char_start": r.get("char_start"), "char_end": r.get("char_end"), "giver": r.get("giver"),
                    "receiver": r.get("receiver"), "confidence": r.get("confidence"),
                    "to_check": bool(r.get("to_check")), "flag": bool(r.get("procedure"))})
    for a in session.get("action_items") or []:
        out.append({"kind": "action", "utterance_id": a["utterance_id"], "text": a.get("text"), "task": a.get("task"),
                    "char_start": a.get("char_start"), "char_end": a.get("char_end"), "owner": a.get("owner"),
                    "owners": a.get("owners") or [], "confidence": a.get("confidence"),
                    "to_check": bool(a.get("to_check")), "flag": bool(a.get("in_meeting"))})
    return out


def judge(items: list[dict], records: list[dict], utterances: dict[str, str], kind: str, lenient: bool) -> dict:
    """Each listed item's verdict (``right``, ``wrong`` or ``None`` = on a borderline sentence under strict) and
    which gold sentences were found, for one kind (``advice`` or ``task``)."""
    gold = [g for g in records if g["kind"] == kind and (lenient or not g.get("borderline"))]
    skip = [g for g in records if g["kind"] == kind and g.get("borderline") and not lenient]
    found = [False] * len(gold)
    verdicts = []
    pairs = []
    for it in items:
        hits = [i for i, g in enumerate(gold) if on_sentence(it, g, utterances)]
        for i in hits:
            found[i] = True
        if hits:
            verdicts.append("right")
            pairs.append((it, gold[hits[0]]))
        elif any(on_sentence(it, g, utterances) for g in skip):
            verdicts.append(None)
        else:
            verdicts.append("wrong")
    return {"gold": gold, "found": found, "verdicts": verdicts, "pairs": pairs}


def prf(tp_items: int, fp_items: int, found: int, gold: int) -> dict:
    p = tp_items / (tp_items + fp_items) if tp_items + fp_items else None
    r = found / gold if gold else None
    f = 2 * p * r / (p + r) if p is not None and r is not None and p + r > 0 else (0.0 if p is not None and r is not None else None)
    return {"listed_counted": tp_items + fp_items, "right": tp_items, "wrong": fp_items, "gold": gold, "found": found,
            "precision": None if p is None else round(p, 3), "recall": None if r is None else round(r, 3),
            "f1": None if f is None else round(f, 3)}


def score_set(items: list[dict], records: list[dict], utterances: dict[str, str], kind: str, lenient: bool,
              participants: list[dict]) -> dict:
    """Precision, recall and F1 of one list of items against one kind of gold, with owner / giver→receiver right on the
    matched items, the confidence's ranking of right over wrong, the items above ``to_check`` and the missed gold."""
    j = judge(items, records, utterances, kind, lenient)
    v = j["verdicts"]
    res = prf(v.count("right"), v.count("wrong"), sum(j["found"]), len(j["gold"]))
    res["listed"] = len(items)
    res["on_borderline_not_counted"] = v.count(None)
    conf_r = [it["confidence"] for it, x in zip(items, v, strict=True) if x == "right" and it["confidence"] is not None]
    conf_w = [it["confidence"] for it, x in zip(items, v, strict=True) if x == "wrong" and it["confidence"] is not None]
    res["confidence_auc_right_vs_wrong"] = auc(conf_r, conf_w)
    res["confidence_items"] = [len(conf_r), len(conf_w)]
    above = [(it, x) for it, x in zip(items, v, strict=True) if not it["to_check"]]
    found_above = [False] * len(j["gold"])
    for it, _ in above:
        for i, g in enumerate(j["gold"]):
            if on_sentence(it, g, utterances):
                found_above[i] = True
    res["not_to_check"] = prf(sum(x == "right" for _, x in above), sum(x == "wrong" for _, x in above),
                              sum(found_above), len(j["gold"]))
    res["not_to_check"]["listed"] = len(above)
    if kind == "task":
        ok = [person(g.get("owner"), participants) is not None
              and person(g.get("owner"), participants) in {it.get("owner"), *(it.get("owners") or [])}
              for it, g in j["pairs"]]
        res["owner_right"] = [sum(ok), len(ok)]
    else:
        known = [(it, g) for it, g in j["pairs"] if person(g.get("receiver"), participants) is not None]
        ok = [it.get("giver") == person(g.get("giver"), participants)
              and it.get("receiver") == person(g.get("receiver"), participants) for it, g in known]
        res["giver_receiver_right"] = [sum(ok), len(ok)]
        group = [it for it, g in j["pairs"] if g.get("receiver") == "group"]
        res["group_advice_receiver_none"] = [sum(it.get("receiver") is None for it in group), len(group)]
    missed: dict[str, int] = {}
    for g, f in zip(j["gold"], j["found"], strict=True):
        if not f:
            missed[g["category"]] = missed.get(g["category"], 0) + 1
    res["missed_by_category"] = dict(sorted(missed.items(), key=lambda kv: -kv[1]))
    res["wrong_items"] = [{"utterance_id": it["utterance_id"], "text": (it.get("task") or it.get("text") or "")[:120]}
                          for it, x in zip(items, v, strict=True) if x == "wrong"]
    res["missed"] = [{"utterance_id": g["utterance_ids"][0], "sentence": g["sentence"][:120], "category": g["category"]}
                     for g, f in zip(j["gold"], j["found"], strict=True) if not f]
    return res


def views(session: dict) -> dict[str, tuple[str, list[dict]]]:
    """The item lists scored, by name: (gold kind, items)."""
    its = listed(session)
    recs = [i for i in its if i["kind"] == "recommendation"]
    acts = [i for i in its if i["kind"] == "action"]
    return {"recommendations (all listed)": ("advice", recs),
            "advice (not procedure)": ("advice", [i for i in recs if not i["flag"]]),
            "tasks (not in_meeting)": ("task", [i for i in acts if not i["flag"]]),
            "action items (all)": ("task", acts)}


def with_procedure_as_advice(records: list[dict]) -> list[dict]:
    """The gold with meeting-procedure sentences counted as advice (the other way to count them)."""
    return [{**g, "kind": "advice"} if g["kind"] == "procedure" else g for g in records]


POOL_KEYS = ("right", "wrong", "found", "gold")


def pool(parts: list[dict]) -> dict:
    tot = {k: sum(p[k] for p in parts) for k in POOL_KEYS}
    res = prf(tot["right"], tot["wrong"], tot["found"], tot["gold"])
    res["listed"] = sum(p["listed"] for p in parts)
    res["on_borderline_not_counted"] = sum(p["on_borderline_not_counted"] for p in parts)
    nt = [p["not_to_check"] for p in parts]
    res["not_to_check"] = prf(*(sum(n[k] for n in nt) for k in POOL_KEYS))
    for key in ("owner_right", "giver_receiver_right", "group_advice_receiver_none", "confidence_items"):
        if key in parts[0]:
            res[key] = [sum(p[key][0] for p in parts), sum(p[key][1] for p in parts)]
    missed: dict[str, int] = {}
    for p in parts:
        for c, n in p["missed_by_category"].items():
            missed[c] = missed.get(c, 0) + n
    res["missed_by_category"] = dict(sorted(missed.items(), key=lambda kv: -kv[1]))
    return res


def score_sessions(sessions: dict[str, dict], gold: dict) -> dict:
    """Per file and pooled scores for every view and variant (sessions: id -> analysed session JSON)."""
    out: dict = {"per_file": {}, "pooled": {}}
    confs: dict[tuple[str, str], tuple[list[float], list[float]]] = {}
    for sid, s in sessions.items():
        records = gold["files"][sid]["records"]
        utts = {u["id"]: u["text"] or "" for u in s["utterances"]}
        parts = s.get("participants") or []
        row: dict = {}
        for name, (kind, items) in views(s).items():
            variants = {"strict": (records, False), "lenient": (records, True)}
            if kind == "advice":
                variants["lenient, procedure counted as advice"] = (with_procedure_as_advice(records), True)
            for var, (recs, lenient) in variants.items():
                res = score_set(items, recs, utts, kind, lenient, parts)
                row.setdefault(name, {})[var] = res
                j = judge(items, recs, utts, kind, lenient)
                c = confs.setdefault((name, var), ([], []))
                for it, x in zip(items, j["verdicts"], strict=True):
                    if it["confidence"] is not None and x is not None:
                        (c[0] if x == "right" else c[1]).append(it["confidence"])
        out["per_file"][sid] = row
    first = next(iter(out["per_file"].values()))
    for name, variants in first.items():
        for var in variants:
            res = pool([out["per_file"][sid][name][var] for sid in sessions])
            res["confidence_auc_right_vs_wrong"] = auc(*confs[(name, var)])
            out["pooled"].setdefault(name, {})[var] = res
    return out


def package_file(env: dict[str, str]) -> str:
    """Which sessionscope the CLI imports under ``env`` (the console script's interpreter, same ``PYTHONPATH``)."""
    code = "import sessionscope; print(sessionscope.__file__)"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          check=True).stdout.strip()


def gold_counts(gold: dict) -> dict:
    out = {}
    for sid, f in gold["files"].items():
        row: dict[str, int] = {}
        for g in f["records"]:
            k = g["kind"] + (" (borderline)" if g.get("borderline") else "")
            row[k] = row.get(k, 0) + 1
        out[sid] = dict(sorted(row.items()))
    return out


KEY_TEXT = 60  # audit_real_talk.items keeps the first 60 characters of an item's text in its key


def key_item(uid: str, text: str, utterance: str) -> dict:
    """A listed item read back from its label key: the text found in its utterance and, when the key cut it at
    ``KEY_TEXT`` characters, carried on to the end of that sentence."""
    span = locate(text, utterance)
    if span is None or len(text) < KEY_TEXT:
        return {"utterance_id": uid, "text": text}
    end = re.search(r"[.?!](\s|$)", utterance[span[1]:])
    return {"utterance_id": uid, "text": text, "char_start": span[0],
            "char_end": span[1] + end.end() if end else len(utterance)}


def kappa_2x2(both: int, first_only: int, second_only: int, neither: int) -> float | None:
    """Cohen's kappa of two yes/no raters from their 2x2 table (``None`` when chance agreement is 1 or nothing is rated)."""
    n = both + first_only + second_only + neither
    if not n:
        return None
    po = (both + neither) / n
    pe = ((both + first_only) * (both + second_only) + (second_only + neither) * (first_only + neither)) / n / n
    return round((po - pe) / (1 - pe), 3) if pe < 1 else None


def kappa(d: dict[str, int]) -> float | None:
    """Cohen's kappa of the earlier ok / error label against gold right / wrong (borderline gold left out)."""
    return kappa_2x2(d.get("earlier: ok / gold: right", 0), d.get("earlier: ok / gold: wrong", 0),
                     d.get("earlier: error / gold: right", 0), d.get("earlier: error / gold: wrong", 0))


def agreement(gold: dict, label_paths: list[Path], utterances: dict[str, dict[str, str]]) -> dict:
    """Earlier precision labels (item key -> ``ok`` or an error category) against this gold, on the items of the three
    files both cover: the item is read back from its key (session|kind|utterance|first 60 characters of its text)."""
    labels: dict[str, str] = {}
    for p in label_paths:
        labels.update(art.label_files([p]))
    rows: dict[str, dict[str, int]] = {}
    cases = []
    for key, lab in sorted(labels.items()):
        sid, kind, uid, text = (key.split("|", 3) + ["", "", "", ""])[:4]
        if sid not in gold["files"] or kind not in GOLD_KIND or lab == "unlabelled":
            continue
        item = key_item(uid, text, utterances[sid].get(uid, ""))
        recs = gold["files"][sid]["records"]
        hit = [g for g in recs if on_sentence(item, g, utterances[sid])]
        kinds = {g["kind"] + ("?" if g.get("borderline") else "") for g in hit}
        want = GOLD_KIND[kind]
        if want in kinds:
            verdict = "gold: right"
        elif want + "?" in kinds:
            verdict = "gold: borderline"
        else:
            verdict = "gold: wrong"
        earlier = "earlier: ok" if lab in ("ok", "task_standalone") else "earlier: error"
        d = rows.setdefault(kind, {})
        d[f"{earlier} / {verdict}"] = d.get(f"{earlier} / {verdict}", 0) + 1
        if (earlier == "earlier: ok") != (verdict == "gold: right") and verdict != "gold: borderline":
            cases.append({"key": key, "earlier": lab, "gold": verdict, "gold_sentences": sorted(kinds)})
    summary = {}
    for kind, d in rows.items():
        agree = d.get("earlier: ok / gold: right", 0) + d.get("earlier: error / gold: wrong", 0)
        n = sum(v for k, v in d.items() if "borderline" not in k)
        summary[kind] = {"agree": agree, "compared (borderline left out)": n,
                         "share": round(agree / n, 3) if n else None, "cohen_kappa": kappa(d)}
    return {"counts": rows, "agreement": summary, "disagreements": cases}


def read_utterances(work: Path, sessions: list[str]) -> dict[str, dict[str, str]]:
    """Each session's utterances (id -> text) as the CLI reads them: the prepared ``work/inputs`` text for QMSum files
    (run ``run`` or ``audit_real_talk.prepare`` first), the shared source for the others."""
    from sessionscope.io import read_transcript

    utts = {}
    for sid in sessions:
        spec = art.SESSIONS[sid]
        path = work / "inputs" / f"{sid}.txt" if "qmsum" in spec else art.DATA / spec["src"]
        s = read_transcript(path, session_id=sid if "qmsum" not in spec else None)
        utts[sid] = {u.id: u.text or "" for u in s.utterances}
    return utts


# the kinds compared: each alone, and advice with procedure as one (the scorer's "procedure counted as advice" view:
# disagreement there is about marking a sentence at all, not about where advice ends and procedure begins)
AGREE_KINDS = {"advice": {"advice"}, "procedure": {"procedure"}, "task": {"task"},
               "advice or procedure": {"advice", "procedure"}}


def same_sentence(r1: dict, r2: dict, utterances: dict[str, str]) -> bool:
    """Two labellers' records mark the same sentence: they share an utterance and their sentences share at least
    ``COVER`` of the shorter inside it (the rule that joins listed items to gold sentences)."""
    return any(covers(locate(r1["sentence"], utterances[u]), locate(r2["sentence"], utterances[u]))
               for u in set(r1["utterance_ids"]) & set(r2["utterance_ids"]) if u in utterances)


def sentence_units(first: list[dict], second: list[dict], utterances: dict[str, str]) -> list[tuple[list[dict], list[dict]]]:
    """The sentences either labeller marked, each as (first's records, second's records): records of the two labellers
    on the same sentence are joined (transitively, so a long sentence of one and two short ones of the other form one)."""
    parent = list(range(len(first) + len(second)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(first):
        for j, b in enumerate(second):
            if same_sentence(a, b, utterances):
                parent[root(len(first) + j)] = root(i)
    groups: dict[int, tuple[list[dict], list[dict]]] = {}
    for i, r in enumerate([*first, *second]):
        groups.setdefault(root(i), ([], []))[0 if i < len(first) else 1].append(r)
    return list(groups.values())


def marks(records: list[dict], kinds: set[str], lenient: bool) -> bool:
    return any(r["kind"] in kinds and (lenient or not r.get("borderline")) for r in records)


def unit_label(records: list[dict]) -> str:
    """What one labeller said of a sentence, e.g. ``advice`` (firm), ``advice?`` (borderline), ``-`` (nothing)."""
    return "+".join(sorted({r["kind"] + ("?" if r.get("borderline") else "") for r in records})) or "-"


def agreement_table(units: list[tuple[list[dict], list[dict]]], kinds: set[str], lenient: bool) -> dict:
    """Per kind, over the sentences either labeller marked (strict: firm marks only, a borderline mark counts as no mark
    and a sentence with only borderline marks drops out; lenient: borderline counts as a mark): the 2x2 counts, the share
    of those sentences both treat alike, the positive agreement 2·both / (2·both + one only) and Cohen's kappa."""
    rows = [(marks(a, kinds, lenient), marks(b, kinds, lenient)) for a, b in units
            if any(lenient or not r.get("borderline") for r in a + b)]
    both = sum(x and y for x, y in rows)
    first_only = sum(x and not y for x, y in rows)
    second_only = sum(y and not x for x, y in rows)
    neither = len(rows) - both - first_only - second_only
    n = len(rows)
    pos = 2 * both + first_only + second_only
    # on the sentences both mark: the same owner (tasks) or the same giver and receiver (advice, procedure)
    keys = ("owner",) if kinds == {"task"} else ("giver", "receiver")
    pairs = [(next(r for r in a if r["kind"] in kinds), next(r for r in b if r["kind"] in kinds)) for a, b in units
             if any(lenient or not r.get("borderline") for r in a + b) and marks(a, kinds, lenient)
             and marks(b, kinds, lenient)]
    same = sum(all(norm_name(x.get(k)) == norm_name(y.get(k)) for k in keys) for x, y in pairs)
    return {"sentences": n, "both": both, "first_only": first_only, "second_only": second_only,
            "neither (another kind)": neither, "percent_agreement": round(100 * (both + neither) / n, 1) if n else None,
            "positive_agreement": round(2 * both / pos, 3) if pos else None,
            "cohen_kappa": kappa_2x2(both, first_only, second_only, neither),
            "same_" + "_".join(keys) + " (where both mark it)": [same, len(pairs)]}


def agree_golds(first: dict, second: dict, utterances: dict[str, dict[str, str]], sessions: list[str]) -> dict:
    """Sentence-level agreement of two golds per file and pooled, per kind, strict and lenient, with the disagreements."""
    out: dict = {"per_file": {}, "pooled": {}, "disagreements": []}
    pooled: dict[str, list] = {}
    for sid in sessions:
        units = sentence_units(first["files"][sid]["records"], second["files"][sid]["records"], utterances[sid])
        row: dict = {"sentences_marked_by_either": len(units)}
        for kind, kinds in AGREE_KINDS.items():
            for var, lenient in (("strict", False), ("lenient", True)):
                row.setdefault(kind, {})[var] = agreement_table(units, kinds, lenient)
        out["per_file"][sid] = row
        pooled.setdefault("units", []).extend(units)
        for a, b in units:
            la, lb = unit_label(a), unit_label(b)
            if la != lb:
                recs = a or b
                out["disagreements"].append({"file": sid, "utterance_ids": sorted({u for r in a + b for u in r["utterance_ids"]}),
                                             "first": la, "second": lb,
                                             "sentence": max((r["sentence"] for r in recs), key=len)[:160]})
    units = pooled.get("units", [])
    out["pooled"]["sentences_marked_by_either"] = len(units)
    for kind, kinds in AGREE_KINDS.items():
        for var, lenient in (("strict", False), ("lenient", True)):
            out["pooled"].setdefault(kind, {})[var] = agreement_table(units, kinds, lenient)
    kinds: dict[str, int] = {}
    for d in out["disagreements"]:
        key = f"{d['first']} / {d['second']}"
        kinds[key] = kinds.get(key, 0) + 1
    out["disagreement_counts (first / second)"] = dict(sorted(kinds.items(), key=lambda kv: -kv[1]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=("run", "score", "agreement", "counts", "agree-golds"))
    ap.add_argument("--work", type=Path, default=Path("/tmp/r13/gold/work"))
    ap.add_argument("--tag", default="base13")
    ap.add_argument("--sessions", default=",".join(FILES))
    ap.add_argument("--gold", type=Path, default=GOLD, help="the gold scored against (default: the first labeller's)")
    ap.add_argument("--gold2", type=Path, default=GOLD2, help="agree-golds: the second labeller's gold")
    ap.add_argument("--label-files", default="", help="agreement: earlier label / report JSONs, comma-separated")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    sessions = [s for s in args.sessions.split(",") if s]
    gold = load_gold(args.gold)
    if args.cmd == "run":
        pkg = package_file(dict(os.environ))
        art.run(args.work, args.tag, sessions)
        (args.work / args.tag / "package.json").write_text(json.dumps({"sessionscope": pkg}) + "\n", encoding="utf-8")
        print(json.dumps({"sessionscope": pkg, "out": str(args.work / args.tag)}))
    elif args.cmd == "score":
        shared = [s for s in sessions if s not in NEW_FILES]
        new = [s for s in sessions if s in NEW_FILES]
        loaded = {sid: art.load(args.work, args.tag, sid) for sid in sessions}
        pkg_path = args.work / args.tag / "package.json"
        res = {"command": "python benchmarks/realtalk_gold_r13.py " + " ".join(sys.argv[1:]), "commit": art.commit(),
               "date": dt.date.today().isoformat(), "tag": args.tag, "split": "real talk, three files, blind gold",
               "sessionscope_imported_by_run": json.loads(pkg_path.read_text())["sessionscope"]
               if pkg_path.exists() else None,
               "files": {s: art.SESSIONS[s].get("src") or art.SESSIONS[s].get("qmsum") for s in sessions},
               "gold": str(args.gold.relative_to(ROOT)) if args.gold.is_relative_to(ROOT) else str(args.gold),
               "gold_counts": {s: gold_counts(gold)[s] for s in sessions}, "match_rule":
               f"same utterance and the item's text and the gold sentence share >= {COVER} of the shorter span",
               **(score_sessions({s: loaded[s] for s in shared}, gold) if shared else {})}
        if new:  # a file no audit had used: its own row, never pooled with the others
            res["new_files_never_audited"] = {"files": new, **score_sessions({s: loaded[s] for s in new}, gold)}
        art.emit(res, args.out, echo=False)
        for name, part in (("pooled", res.get("pooled")), ("new files, never audited",
                                                            res.get("new_files_never_audited", {}).get("pooled"))):
            if part:
                print(name, json.dumps({v: {k: part[v][k]["f1"] for k in part[v]} for v in part}))
    elif args.cmd == "counts":
        print(json.dumps(gold_counts(gold), indent=1))
    elif args.cmd == "agree-golds":
        second = load_gold(args.gold2)
        both = [s for s in sessions if s in gold["files"] and s in second["files"]]
        res = {"command": "python benchmarks/realtalk_gold_r13.py " + " ".join(sys.argv[1:]), "commit": art.commit(),
               "date": dt.date.today().isoformat(),
               "first": str(args.gold.relative_to(ROOT)) if args.gold.is_relative_to(ROOT) else str(args.gold),
               "second": str(args.gold2.relative_to(ROOT)) if args.gold2.is_relative_to(ROOT) else str(args.gold2),
               "files": both, "unit": "a sentence either labeller marked (records of the two joined when they share an "
               f"utterance and >= {COVER} of the shorter sentence); per kind, yes = that labeller marked it with the kind",
               "first_counts": {s: gold_counts(gold)[s] for s in both},
               "second_counts": {s: gold_counts(second)[s] for s in both},
               **agree_golds(gold, second, read_utterances(args.work, both), both)}
        art.emit(res, args.out, echo=False)
        print(json.dumps({k: {v: res["pooled"][k][v]["cohen_kappa"] for v in res["pooled"][k]} for k in AGREE_KINDS}))
    else:
        utts = read_utterances(args.work, sessions)
        res = {"command": "python benchmarks/realtalk_gold_r13.py " + " ".join(sys.argv[1:]), "commit": art.commit(),
               "date": dt.date.today().isoformat(),
               **agreement(gold, [Path(p) for p in args.label_files.split(",") if p], utts)}
        art.emit(res, args.out)


if __name__ == "__main__":
    main()
