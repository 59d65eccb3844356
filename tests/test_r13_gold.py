"""Round 13 (gold): the blind real-talk gold standard's matching and scoring (``benchmarks/realtalk_gold_r13.py``).

Model-free: sessions are hand-made JSON dicts shaped like ``session.json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import realtalk_gold_r13 as gold  # noqa: E402

UTT = "We should paint it red . I'll send you the figures tomorrow . {vocalsound} Nice ."
PEOPLE = [{"id": "ann", "name": "Ann", "aliases": ["0001_ANN"]}, {"id": "bob", "name": "Bob", "aliases": []}]


def rec(uids, sentence, kind="advice", borderline=False, **kw):
    return {"utterance_ids": list(uids), "sentence": sentence, "kind": kind, "borderline": borderline,
            "category": kw.pop("category", "c"), **kw}


def span_of(part: str, text: str = UTT) -> tuple[int, int]:
    i = text.index(part)
    return i, i + len(part)


def item(uid, part, text=UTT, kind="recommendation", **kw):
    cs, ce = span_of(part, text)
    base = {"kind": kind, "utterance_id": uid, "text": part, "char_start": cs, "char_end": ce, "confidence": 0.5,
            "to_check": False, "flag": False}
    return {**base, **kw}


def test_skeleton_ignores_case_spacing_punctuation_and_marks():
    assert gold.skeleton("We {disfmarker} should , paint")[0] == "weshouldpaint"
    assert gold.locate("we should paint it red.", UTT) == span_of("We should paint it red")


def test_item_on_another_sentence_of_the_same_utterance_is_no_hit():
    g = rec(["u1"], "We should paint it red.")
    utts = {"u1": UTT}
    assert gold.on_sentence(item("u1", "We should paint it red ."), g, utts)
    assert not gold.on_sentence(item("u1", "I'll send you the figures tomorrow ."), g, utts)
    # the same words on another utterance are no hit either
    assert not gold.on_sentence(item("u2", "We should paint it red .", ), g, {"u1": UTT, "u2": UTT})


def test_item_without_offsets_is_located_by_its_text():
    g = rec(["u1"], "I'll send you the figures tomorrow.", kind="task")
    it = {"kind": "action", "utterance_id": "u1", "task": "send you the figures tomorrow"}
    assert gold.on_sentence(it, g, {"u1": UTT})
    other = {"kind": "action", "utterance_id": "u1", "task": "paint it red"}
    assert not gold.on_sentence(other, g, {"u1": UTT})


def test_a_sentence_over_several_short_utterances_matches_an_item_on_any_of_them():
    utts = {"u7": "Well he should just,", "u8": "go to a gas station.", "u9": "So he said he'll"}
    g = rec(["u7", "u8"], "Well he should just, go to a gas station.")
    assert gold.on_sentence(item("u8", "go to a gas station.", utts["u8"]), g, utts)
    assert gold.on_sentence(item("u7", "Well he should just,", utts["u7"]), g, utts)
    assert not gold.on_sentence(item("u9", "So he said he'll", utts["u9"]), g, utts)


def test_a_short_item_inside_a_long_sentence_and_a_long_item_over_a_short_sentence_both_hit():
    g = rec(["u1"], "We should paint it red.")
    long_item = {"kind": "recommendation", "utterance_id": "u1", "text": UTT, "char_start": 0, "char_end": len(UTT)}
    assert gold.on_sentence(long_item, g, {"u1": UTT})
    assert gold.on_sentence(item("u1", "paint it red"), g, {"u1": UTT})


def test_strict_leaves_borderline_out_and_lenient_counts_it():
    utts = {"u1": UTT, "u2": "Maybe fifty percent more .", "u3": "It is blue ."}
    records = [rec(["u1"], "We should paint it red."), rec(["u2"], "Maybe fifty percent more.", borderline=True),
               rec(["u1"], "I'll send you the figures tomorrow.", kind="task")]
    items = [item("u1", "We should paint it red ."), item("u1", "We should paint it red"),  # two items, one sentence
             item("u2", "Maybe fifty percent more .", utts["u2"]), item("u3", "It is blue .", utts["u3"]),
             item("u1", "I'll send you the figures tomorrow .")]  # a task sentence listed as advice: wrong
    strict = gold.score_set(items, records, utts, "advice", False, PEOPLE)
    assert (strict["right"], strict["wrong"], strict["on_borderline_not_counted"]) == (2, 2, 1)
    assert (strict["found"], strict["gold"]) == (1, 1)  # several items on one sentence count once for recall
    assert strict["precision"] == 0.5 and strict["recall"] == 1.0
    lenient = gold.score_set(items, records, utts, "advice", True, PEOPLE)
    assert (lenient["right"], lenient["wrong"], lenient["found"], lenient["gold"]) == (3, 2, 2, 2)
    assert lenient["f1"] == round(2 * 0.6 * 1.0 / 1.6, 3)


def test_missed_gold_by_category_and_items_above_to_check():
    utts = {"u1": UTT, "u2": "Why don't you try the blue one ?"}
    records = [rec(["u1"], "We should paint it red.", category="let's-proposal"),
               rec(["u2"], "Why don't you try the blue one?", category="direct advice")]
    items = [item("u1", "We should paint it red .", to_check=True), item("u1", "{vocalsound} Nice .", to_check=False)]
    res = gold.score_set(items, records, utts, "advice", False, PEOPLE)
    assert res["missed_by_category"] == {"direct advice": 1}
    assert (res["not_to_check"]["right"], res["not_to_check"]["wrong"], res["not_to_check"]["found"]) == (0, 1, 0)
    assert res["confidence_items"] == [1, 1]


def test_owner_and_giver_receiver_are_read_through_names_and_aliases():
    utts = {"u1": UTT}
    tasks = [rec(["u1"], "I'll send you the figures tomorrow.", kind="task", owner="Ann")]
    right = item("u1", "I'll send you the figures tomorrow .", kind="action", owner="ann")
    wrong = item("u1", "I'll send you the figures tomorrow .", kind="action", owner="bob")
    assert gold.score_set([right], tasks, utts, "task", False, PEOPLE)["owner_right"] == [1, 1]
    assert gold.score_set([wrong], tasks, utts, "task", False, PEOPLE)["owner_right"] == [0, 1]
    advice = [rec(["u1"], "We should paint it red.", giver="0001_ANN", receiver="Bob")]
    ok = item("u1", "We should paint it red .", giver="ann", receiver="bob")
    swapped = item("u1", "We should paint it red .", giver="bob", receiver="ann")
    assert gold.score_set([ok], advice, utts, "advice", False, PEOPLE)["giver_receiver_right"] == [1, 1]
    assert gold.score_set([swapped], advice, utts, "advice", False, PEOPLE)["giver_receiver_right"] == [0, 1]
    group = [rec(["u1"], "We should paint it red.", giver="Ann", receiver="group")]
    res = gold.score_set([ok], group, utts, "advice", False, PEOPLE)
    assert res["giver_receiver_right"] == [0, 0] and res["group_advice_receiver_none"] == [0, 1]


def session(recs=(), acts=()):
    return {"utterances": [{"id": "u1", "text": UTT}], "participants": PEOPLE,
            "recommendations": list(recs), "action_items": list(acts)}


def test_views_split_procedure_and_in_meeting_and_pool_sums_files():
    r_ok = {"utterance_id": "u1", "text": "We should paint it red .", "char_start": 0, "char_end": 24,
            "giver": "ann", "receiver": None, "confidence": 0.9, "procedure": False}
    r_proc = {**r_ok, "procedure": True, "confidence": 0.2}
    a_meet = {"utterance_id": "u1", "task": "send you the figures tomorrow", "owner": "ann", "in_meeting": True,
              "confidence": 0.4}
    g = {"files": {"A": {"records": [rec(["u1"], "We should paint it red.", giver="Ann", receiver="group"),
                                     rec(["u1"], "I'll send you the figures tomorrow.", kind="task", owner="Ann")]},
                   "B": {"records": [rec(["u1"], "We should paint it red.", giver="Ann", receiver="group")]}}}
    res = gold.score_sessions({"A": session([r_ok, r_proc], [a_meet]), "B": session([r_proc])}, g)
    a = res["per_file"]["A"]
    assert a["recommendations (all listed)"]["strict"]["listed"] == 2
    assert a["advice (not procedure)"]["strict"]["listed"] == 1
    assert a["tasks (not in_meeting)"]["strict"]["recall"] == 0.0
    assert a["action items (all)"]["strict"]["recall"] == 1.0
    pooled = res["pooled"]["advice (not procedure)"]["strict"]
    assert (pooled["found"], pooled["gold"], pooled["right"]) == (1, 2, 1) and pooled["recall"] == 0.5
    allrec = res["pooled"]["recommendations (all listed)"]["strict"]
    assert (allrec["right"], allrec["wrong"]) == (3, 0)
    assert allrec["confidence_auc_right_vs_wrong"] is None  # no wrong item: nothing to rank


def test_procedure_sentences_count_either_way():
    utts = {"u1": "Next slide , please ."}
    records = [rec(["u1"], "Next slide, please.", kind="procedure")]
    it = [item("u1", "Next slide , please .", utts["u1"])]
    assert gold.score_set(it, records, utts, "advice", True, PEOPLE)["wrong"] == 1
    assert gold.score_set(it, gold.with_procedure_as_advice(records), utts, "advice", True, PEOPLE)["right"] == 1


def test_agreement_reads_items_back_from_cut_keys(tmp_path):
    text = ("And now we've we also decided on the inside , we could possibly have some kind of logo on it . "
            "It is nice .")
    g = {"files": {"S": {"records": [rec(["u1"], "we could possibly have some kind of logo on it.")]}}}
    assert not gold.on_sentence({"utterance_id": "u1", "text": text[:gold.KEY_TEXT]}, g["files"]["S"]["records"][0],
                                {"u1": text})
    assert gold.on_sentence(gold.key_item("u1", text[:gold.KEY_TEXT], text), g["files"]["S"]["records"][0],
                            {"u1": text})
    p = tmp_path / "labels.json"
    p.write_text(json.dumps({"labels": {"S|recommendation|u1|" + text[:gold.KEY_TEXT]: "ok"}}), encoding="utf-8")
    assert gold.agreement(g, [p], {"S": {"u1": text}})["counts"] == {"recommendation": {"earlier: ok / gold: right": 1}}


def test_agreement_counts_and_kappa(tmp_path):
    utts = {"S": {"u1": UTT, "u2": "It is blue ."}}
    g = {"files": {"S": {"records": [rec(["u1"], "We should paint it red.")]}}}
    labels = {"S|recommendation|u1|We should paint it red .": "ok",
              "S|recommendation|u2|It is blue .": "ok",
              "S|recommendation|u1|{vocalsound} Nice .": "not_advice_description",
              "Other|recommendation|u1|We should paint it red .": "ok"}
    p = tmp_path / "labels.json"
    p.write_text(json.dumps({"labels": labels}), encoding="utf-8")
    res = gold.agreement(g, [p], utts)
    assert res["counts"]["recommendation"] == {"earlier: ok / gold: right": 1, "earlier: ok / gold: wrong": 1,
                                               "earlier: error / gold: wrong": 1}
    assert res["agreement"]["recommendation"]["share"] == round(2 / 3, 3)
    assert gold.kappa({"earlier: ok / gold: right": 5, "earlier: error / gold: wrong": 5}) == 1.0
    assert gold.kappa({"earlier: ok / gold: right": 1, "earlier: ok / gold: wrong": 1,
                       "earlier: error / gold: right": 1, "earlier: error / gold: wrong": 1}) == 0.0


def well_formed(doc: dict, files) -> None:
    assert set(doc["files"]) == set(files)
    for key in ("labeller", "date", "blind", "time_spent", "definitions", "decision_rules"):
        assert doc[key]
    for f in doc["files"].values():
        for g in f["records"]:
            assert g["kind"] in {"advice", "task", "procedure"}
            assert isinstance(g["borderline"], bool) and g["sentence"] and g["category"] and g["reason"]
            assert all(u.startswith("u") and int(u[1:]) <= f["utterances"] for u in g["utterance_ids"])
            assert ("owner" in g) if g["kind"] == "task" else ("giver" in g and "receiver" in g)


def test_gold_file_is_complete_and_well_formed():
    well_formed(gold.load_gold(), gold.FILES)


@pytest.mark.skipif(not (gold.art.DATA / "sbcsae-text-refs" / "SBC044.stm").exists(), reason="shared data not here")
@pytest.mark.parametrize("path, files", [(gold.GOLD, gold.FILES), (gold.GOLD2, (*gold.FILES, *gold.NEW_FILES))])
def test_every_gold_sentence_is_found_in_its_utterances(tmp_path, monkeypatch, path, files):
    from sessionscope.io import read_transcript

    monkeypatch.setattr(gold.art, "SESSIONS", {sid: gold.art.SESSIONS[sid] for sid in files})
    gold.art.prepare(tmp_path)
    doc = gold.load_gold(path)
    assert set(doc["files"]) == set(files)
    for sid, f in doc["files"].items():
        spec = gold.art.SESSIONS[sid]
        path = tmp_path / "inputs" / f"{sid}.txt" if "qmsum" in spec else gold.art.DATA / spec["src"]
        s = read_transcript(path, session_id=None if "qmsum" in spec else sid)
        utts = {u.id: u.text for u in s.utterances}
        assert len(utts) == f["utterances"]
        for g in f["records"]:
            assert all(gold.locate(g["sentence"], utts[u]) is not None for u in g["utterance_ids"]), g


def test_second_gold_is_complete_and_well_formed_and_the_new_file_is_registered_apart():
    doc = gold.load_gold(gold.GOLD2)
    well_formed(doc, (*gold.FILES, *gold.NEW_FILES))
    assert all(g["task"] for f in doc["files"].values() for g in f["records"] if g["kind"] == "task")
    assert not set(gold.NEW_FILES) & set(gold.FILES) and set(gold.NEW_FILES) <= set(gold.art.SESSIONS)


def test_kappa_of_a_two_by_two_table_by_hand():
    # n = 50, observed 35/50 = 0.7, chance (25*30 + 25*20) / 2500 = 0.5, kappa (0.7 - 0.5) / 0.5 = 0.4
    assert gold.kappa_2x2(20, 5, 10, 15) == 0.4
    assert gold.kappa_2x2(4, 0, 0, 6) == 1.0
    assert gold.kappa_2x2(0, 3, 3, 0) == -1.0
    assert gold.kappa_2x2(5, 0, 0, 0) is None and gold.kappa_2x2(0, 0, 0, 0) is None  # chance agreement 1 / nothing
    d = {"earlier: ok / gold: right": 20, "earlier: ok / gold: wrong": 5, "earlier: error / gold: right": 10,
         "earlier: error / gold: wrong": 15}
    assert gold.kappa(d) == 0.4


def two_golds():
    utts = {"u1": UTT, "u2": "Next slide , please .", "u3": "Maybe fifty percent more .", "u4": "It is blue ."}
    first = [rec(["u1"], "We should paint it red.", giver="Ann", receiver="group"),
             rec(["u1"], "I'll send you the figures tomorrow.", kind="task", owner="Ann"),
             rec(["u2"], "Next slide, please.", kind="procedure"), rec(["u3"], "Maybe fifty percent more.", borderline=True)]
    second = [rec(["u1"], "paint it red", giver="ann", receiver="Group"),
              rec(["u1"], "I'll send you the figures tomorrow.", kind="task", borderline=True, owner="Bob"),
              rec(["u2"], "Next slide, please."), rec(["u4"], "It is blue.")]
    return utts, first, second


def test_agreement_of_two_golds_by_hand():
    utts, first, second = two_golds()
    res = gold.agree_golds({"files": {"S": {"records": first}}}, {"files": {"S": {"records": second}}}, {"S": utts}, ["S"])
    assert res["pooled"]["sentences_marked_by_either"] == 5  # red, figures, slide, fifty, blue
    adv = res["pooled"]["advice"]
    # lenient: red both; fifty first only (borderline); slide and blue second only; figures neither
    assert {k: adv["lenient"][k] for k in ("sentences", "both", "first_only", "second_only", "neither (another kind)")} == {
        "sentences": 5, "both": 1, "first_only": 1, "second_only": 2, "neither (another kind)": 1}
    assert adv["lenient"]["percent_agreement"] == 40.0 and adv["lenient"]["positive_agreement"] == 0.4
    assert adv["lenient"]["cohen_kappa"] == round((0.4 - 12 / 25) / (1 - 12 / 25), 3)  # -0.154
    # strict: the borderline-only sentence (fifty) drops out; 4 sentences, kappa (0.5 - 0.375) / 0.625
    assert (adv["strict"]["sentences"], adv["strict"]["both"], adv["strict"]["second_only"]) == (4, 1, 2)
    assert adv["strict"]["cohen_kappa"] == 0.2
    task = res["pooled"]["task"]
    assert (task["strict"]["first_only"], task["strict"]["cohen_kappa"]) == (1, 0.0)  # firm vs borderline: no match
    assert (task["lenient"]["both"], task["lenient"]["cohen_kappa"]) == (1, 1.0)
    assert task["lenient"]["same_owner (where both mark it)"] == [0, 1]  # Ann / Bob
    assert adv["lenient"]["same_giver_receiver (where both mark it)"] == [1, 1]  # spelling and case do not matter
    assert res["per_file"]["S"]["procedure"]["lenient"]["first_only"] == 1
    merged = res["pooled"]["advice or procedure"]["lenient"]  # slide now agrees: red, slide both; fifty, blue one each
    assert (merged["both"], merged["first_only"], merged["second_only"]) == (2, 1, 1)
    assert merged["cohen_kappa"] == round((0.6 - 13 / 25) / (1 - 13 / 25), 3)  # 0.167
    seen = {(d["first"], d["second"]) for d in res["disagreements"]}
    assert seen == {("task", "task?"), ("procedure", "advice"), ("advice?", "-"), ("-", "advice")}


def test_a_long_sentence_of_one_labeller_joins_two_short_ones_of_the_other():
    utts = {"u7": "Well he should just,", "u8": "go to a gas station.", "u9": "So he said he'll"}
    first = [rec(["u7", "u8"], "Well he should just, go to a gas station.")]
    second = [rec(["u7"], "Well he should just,"), rec(["u8"], "go to a gas station."), rec(["u9"], "So he said he'll")]
    units = gold.sentence_units(first, second, utts)
    assert sorted((len(a), len(b)) for a, b in units) == [(0, 1), (1, 2)]
