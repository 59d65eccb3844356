"""UI strings (EN/RU) of the programme-evaluation parts: surveys, baseline, goals, checklist, correlations.

Kept apart from :mod:`sessionscope.report.i18n` (the session report's strings) so that
the two can change independently; :func:`pt` falls back to English, then to that table.
"""

from __future__ import annotations

import re
from typing import Any

EN: dict[str, str] = {
    "sec_checklist": "The guide's checklist per session",
    "sec_checklist_session": "The guide's checklist",
    "checklist_note": "Each item is met, not met or can't tell (the stage that measures it did not run, the "
                      "recording cannot show it, or only items marked “to check” would meet it). Thresholds come "
                      "from the config's programme section; the "
                      "evidence is in programme_checklist.",
    "never_met": "Never met in any session where it could be told",
    "never_met_none": "Every pair met each item at least once (where it could be told).",
    "item_one_hour": "At least an hour",
    "item_concrete_cases": "Concrete cases, not general talk",
    "item_recommendations_recorded": "Recommendations recorded",
    "item_junior_questions": "The junior came with questions",
    "item_both_ways": "Both asked and both advised",
    "item_junior_spoke_freely": "The junior spoke freely, not cut off",
    "item_goals_owner_date": "Small goals with owners and dates",
    "item_feedback": "Feedback exchanged",
    # the items are thresholds (a share of case talk, a number of questions): "never ask" said of a junior who asked
    # one question (the demo's chen-hale) was wrong
    "never_item_concrete_cases": "Pairs whose sessions never reached the guide's share of concrete cases",
    "never_item_junior_questions": "Juniors who never came with the guide's minimum of questions (they may have "
                                   "asked fewer)",
    "check_met": "met", "check_not_met": "not met", "check_cant_tell": "can't tell",
    "sec_feedback": "Participant feedback",
    "feedback_note": "Survey answers matched to sessions (or to the pair's periodic questionnaire); both sides of "
                     "each pair side by side. Values on the survey's own scale.",
    "none_surveys": "No survey answers were given (pass --surveys).",
    "q_satisfaction": "Satisfaction", "q_usefulness": "Usefulness", "q_self_assessment": "Self-assessment",
    "q_psychological_safety": "Could speak freely",
    "fb_question": "Question", "fb_junior": "Junior", "fb_senior": "Senior", "fb_kind": "Kind",
    "fb_periodic": "periodic", "fb_session": "session",
    "fb_programme_means": "Programme means by role", "fb_answers": "answers",
    "fb_share_axis": "answer (0 = lowest, 1 = highest)", "fb_over_time": "Answers over time (mean of both sides)",
    "fb_comments": "Free-text comments", "fb_redacted": "Comments are redacted (names, e-mails, phones masked).",
    "sec_baseline": "Before and now",
    "baseline_note": "Figures from before the programme (the baseline file) beside the programme's own. "
                     "'Now' is measured by sessionscope where it can be; other measures show the file's own "
                     "current value, or 'not measured'. The share of problems solved counts the problems followed "
                     "by advice or a task in the recordings: a lower bound (readers of real meetings find more of "
                     "them addressed).",
    "none_baseline": "No baseline was given (pass --baseline).",
    "bl_programme": "whole programme", "bl_not_measured": "not measured", "bl_better": "better",
    "bl_worse": "worse", "bl_same": "unchanged", "bl_n": "n = {n}",
    "sec_goals": "Goals followed across sessions",
    "goals_note": "Each action item (not those marked to check) is looked for in the pair's later sessions "
                  "(method: {method}); what is said about it decides the status. The evidence is in "
                  "programme_goals. These statuses are leads to check, not measured completion: on AMI meetings the matcher found a goal 'mentioned' as "
                  "often in another team's meeting on the same task as in the same team's next one "
                  "(docs/reports.md).",
    "sec_flows": "Who taught whom, by topic area",
    "flows_note": "Per topic area, the recommendations the junior gave the senior and the questions and requests the "
                  "junior answered (junior → senior), and the other way round (senior → junior): the counts behind "
                  "mutuality, items marked to check and small talk left out. Reverse mentoring shows as areas where "
                  "the junior's column leads. Per pair in programme_flows.",
    "col_j2s": "Junior → senior", "col_s2j": "Senior → junior", "col_area": "Topic area",
    "col_flow_sessions": "Sessions", "none_flows": "No recommendations or answers between a junior and a senior "
                                                   "were found in a topic area.",
    "flows_over": "Over the {n} of {total} sessions where it could be measured (a knowledge flow, topic areas, a "
                  "named junior and senior).",
    "flows_not_measured": "Not measured: no session has a knowledge flow with topic areas between a named junior and "
                          "senior (the extraction or topics stage did not run, or the roles are not named).",
    "goals_rates": "Per pair", "goals_set": "Goals set", "goals_done": "Done", "goals_dropped": "Dropped",
    "goals_open": "Open now", "goals_open_list": "Goals still open at the pair's latest session",
    # the summary table's row: "Open now 41" under "Goals done" did not say open what (the action items, as goals)
    "kpi_goals_open": "Goals (action items) still open",
    "kpi_no_junior": "no session names a junior: give the roles with -p NAME=junior or a manifest",
    "goals_pending_note": "{n} of them with no later session yet to judge them by",
    "goals_none_open": "No open goals.",
    "status_in_progress": "in progress", "status_dropped": "dropped",
    "sec_correlations": "Correlations",
    "corr_note": "Per session: a conversation measure against the mean survey answer for that session (rescaled "
                 "0–1). Pearson's r with a 95 % interval and Spearman's rho. Sessions of one pair are not "
                 "independent; with few sessions these figures are mostly noise.",
    "corr_measure": "Measure", "corr_outcome": "Survey question", "corr_small": "small n",
    "m_junior_talk_share": "Junior talk share", "m_mutuality_index": "Mutuality",
    "m_questions_by_junior": "Questions by the junior", "m_checklist_met": "Checklist items met",
    "sec_issues": "Problems in the survey and baseline files",
    "issues_note": "Rows and values listed here were not used; everything else was processed.",
    "issue_file": "File", "issue_row": "Row", "issue_column": "Column", "issue_kind": "Problem",
    "kind_unreadable": "unreadable file", "kind_unmatched": "row not matched", "kind_bad_value": "bad value",
    "kind_out_of_range": "out of range", "kind_duplicate": "duplicate answer", "kind_mapping": "mapping",
    "kpi_jwshare": "Mean junior share of words",
    # the sessions left out have no times or name no junior: the text must not claim one of the two
    "kpi_over_talk": "over the {n} of {total} sessions with the junior's talk time; the others have no times or "
                     "name no junior",
    "kpi_over_word": "over the {n} of {total} sessions with the junior's words; the others name no junior or have "
                     "no words",
    "kpi_over_mutuality": "over the {n} of {total} sessions where it could be measured",
    "kpi_talk_note": "The junior talk share is a share of talk time, over the {n} of {total} sessions with a "
                     "junior and times; a transcript without times gives only a share of the words, shown beside "
                     "it; a session that names no junior gives neither.",
    "kpi_mutuality_note": "The mean mutuality is over the {n} of {total} sessions where it could be measured.",
    "of_words": "of words",
    "chart_coverage_title": "Share of the discussion per topic area (each session counts once; of the words for "
                            "transcripts without times)",
    "n_to_check": "+{n} to check",
    # forms by {n} (one|other): "1 of 8 sessions was", "2 of 8 sessions were"; "1 of 1 session was"
    "stages_note": "{n} of {total} {sessions} was not fully analysed: what its missing stages measure "
                   "(recommendations, action items, questions, mutuality, flags) is unknown, shown as n/a or –, "
                   "not as 0 or none: {list}.|{n} of {total} {sessions} were not fully analysed: what their missing "
                   "stages measure (recommendations, action items, questions, mutuality, flags) is unknown, shown as "
                   "n/a or –, not as 0 or none: {list}.",
    "voices_swapped_note": "Session {session}: its speakers were matched to the participants by a guess, and its "
                           "two voices look swapped relative to the pair's sessions {others}: the junior's figures of "
                           "this session, or of those, may be the senior's; check with sessionscope remap.",
    # the sessions compared with hold mappings by voice, introduction or hand (their camp was taken as right)
    "voices_swapped_note_evidence": "Session {session}: its speakers were matched to the participants by a guess, and "
                                    "its two voices look swapped relative to the pair's sessions {others}, of which "
                                    "{evidence} matched by voice, introduction or by hand: the junior's figures of "
                                    "this session are probably the senior's; correct it with sessionscope remap.",
    # two camps of the same size, every session a guess: one note for the pair, not one per session
    "voices_split_note": "Pair {pair}: the voices of its sessions split into two equally large groups that disagree, "
                         "{first} against {second}, and every one of them had its speakers matched to the "
                         "participants by a guess, so nothing tells which group is right: in one of them the "
                         "junior's figures are the senior's. Listen to one session and confirm or correct it with "
                         "sessionscope remap; with voiceprints on, the next report then flags only the other group.",
    "guessed_note": "{n} of {total} {sessions} had its speakers matched to the participants by order of first "
                    "speech (a guess): its junior figures (talk share, questions, advice) may be the senior's, and a "
                    "pair's trend may mix the two voices; check its report's Data quality and correct with "
                    "sessionscope remap: {list}.|{n} of {total} {sessions} had their speakers matched to the "
                    "participants by order of first speech (a guess): their junior figures (talk share, questions, "
                    "advice) may be the senior's, and a pair's trend may mix the two voices; check each report's Data "
                    "quality and correct with sessionscope remap: {list}.",
    # round 27 (leftovers, EA-11): the session pages' data notes that bear on the programme's figures
    "no_overlap_note": "{n} of {total} {sessions} is a transcript whose cues never overlap: the overlap rule "
                       "cannot show anyone cutting in there, so its interruptions are not counted (empty in the "
                       "tables, not 0), and neither the interruption flag nor the checklist's “The junior spoke "
                       "freely, not cut off” could find any in it: {list}.|{n} of {total} {sessions} are transcripts "
                       "whose cues never overlap: the overlap rule cannot show anyone cutting in there, so their "
                       "interruptions are not counted (empty in the tables, not 0), and neither the interruption "
                       "flag nor the checklist's “The junior spoke freely, not cut off” could find any in them: {list}.",
    "unmeasured_mapping_note": "{n} of {total} {sessions} had its speakers matched to the participants by what was "
                               "said (an introduction, a name), with no measured confidence, as its report's Data "
                               "quality says: its junior figures (talk share, questions, advice) rest on that match: "
                               "{list}.|{n} of {total} {sessions} had their speakers matched to the participants by "
                               "what was said (an introduction, a name), with no measured confidence, as their "
                               "reports' Data quality says: their junior figures (talk share, questions, advice) rest "
                               "on that match: {list}.",
    # round 40: inputs the batches behind the report failed on (report/leftout.py); forms by {n} (one|other)
    "left_out_short": "{n} more input of these batches not analysed, listed below|{n} more inputs of these batches "
                      "not analysed, listed below",
    "left_out_note": "{n} input of the batches behind this report could not be analysed and is in none of its "
                     "figures: its pair's sessions, hours and trends are counted without it. Check it (the error says "
                     "why; a recording with no speech cannot be analysed at all) and, once it is fixed, run the same "
                     "sessionscope analyze or run command again (the sessions already written are kept):|{n} inputs of "
                     "the batches behind this report could not be analysed and are in none of its figures: their "
                     "pairs' sessions, hours and trends are counted without them. Check them (the errors say "
                     "why; a recording with no speech cannot be analysed at all) and, once they are fixed, run the same "
                     "sessionscope analyze or run command again (the sessions already written are kept):",
    "left_out_unfinished_note": "A batch behind this report stopped before all its inputs were done; the inputs it "
                                "did not reach are in none of the figures (run the same command again to finish it): "
                                "{list}.",
    "left_out_earlier_note": "{n} session failed in its latest batch; the figures count the output an earlier run "
                             "wrote:|{n} sessions failed in their latest batch; the figures count the outputs an "
                             "earlier run wrote:",
    # round 27: the programme-level twin of the session report's mutual_few sentence
    "few_flows_note": "{n} of {total} {sessions} has a mutuality that rests on too few exchanges (recommendations "
                      "given and questions answered) to read much into, as its report says; the mean mutuality and "
                      "its pair's include it: {list}.|{n} of {total} {sessions} have a mutuality that rests on too few "
                      "exchanges (recommendations given and questions answered) to read much into, as their reports "
                      "say; the mean mutuality and their pairs' include them: {list}.",
    # round 26: the programme-level twin of the session report's q_audio_events note (docs/metrics.md)
    "audio_events_note": "{n} of {total} {sessions} is a recording whose who-spoke-when comes from the audio: on "
                         "development recordings of two people its turns came out about a tenth low and its "
                         "interruptions, overlaps, backchannels and pauses were off by half or more per session; talk "
                         "shares, the balance and the turn-taking index held within a few points. Read its event "
                         "counts as trends, interruptions as a lower bound (docs/metrics.md, “Measures from audio”)."
                         "|{n} of {total} {sessions} are recordings whose who-spoke-when comes from the audio: on "
                         "development recordings of two people their turns came out about a tenth low and their "
                         "interruptions, overlaps, backchannels and pauses were off by half or more per session; talk "
                         "shares, the balance and the turn-taking index held within a few points. Read their event "
                         "counts as trends, interruptions as a lower bound (docs/metrics.md, “Measures from audio”).",
    "guess_mark": "guess",
    "share_of": "{k} of {n}",  # round 40: "100 % (1 of 1)" beside a share of goals
    "kpi_goals_done": "Goals done", "kpi_satisfaction": "Mean satisfaction",
    "ckm_one_hour": "minutes", "ckm_concrete_cases": "share of case/problem discussion",
    "ckm_recommendations_recorded": "recommendations found", "ckm_junior_questions": "questions asked by the junior",
    "ckm_both_ways": "questions/recommendations", "ckm_junior_spoke_freely": "junior talk share",
    "ckm_junior_spoke_freely_words": "junior share of words (the transcript has no times)",
    "ckm_concrete_cases_words": "share of case/problem discussion, by words (the transcript has no times)",
    "ckm_goals_owner_date": "action items with an owner and a due date", "ckm_feedback": "feedback",
    "ck_cut_off": "cut off {n} time|cut off {n} times", "ck_no_survey": "feedback may be given outside the recording: pass the "
                                                      "survey export (--surveys)",
    "ckr_no_junior": "no participant has the junior role", "ckr_no_senior": "no participant has the senior role",
    "ckr_no_pair": "no participant has the junior and senior role", "ckr_no_times": "the transcript has no times",
    "ckr_start_only": "the transcript has start times only (no end times)", "ckr_no_segments": "no topic segments",
    "ckr_no_share": "no talk share measured", "ckr_no_words": "the transcript has no words",
    "ckr_to_check": "met only by items marked to check (more likely wrong than right): confirm them",
    "ckr_modes_miss": "the discussion modes found too little case/problem talk, which on real recordings they often miss (readers saw it in 39 of 45 such meetings): confirm it",
    "ck_with_tags": "{n} with confirmation checks such as “…, right?” and questions of courtesy or arranging the next "
                    "meeting such as “How was your week?”, as in the participant table",
    "ck_item": "Guidance", "ck_status": "Status", "ck_evidence": "Measure and evidence", "ck_threshold": "threshold",
    "ck_note": "What the recording can show of the programme guide's advice: met, not met, or can't tell (the "
               "stage that measures it did not run, the recording cannot show it, or only items marked “to check” "
               "would meet it).",
}
RU: dict[str, str] = {
    # not "Рекомендации методики": the session report's "Рекомендации" are the advice given in the meeting
    "sec_checklist": "Чек-лист методики по встречам",
    "sec_checklist_session": "Чек-лист методики",
    "checklist_note": "Каждый пункт: выполнен, не выполнен или нельзя определить (этап анализа не запускался, "
                      "запись этого не показывает или выполнено только за счёт пунктов «проверить»). Пороги — раздел "
                      "programme конфигурации; доказательства — в "
                      "programme_checklist.",
    "never_met": "Ни разу не выполнено там, где это можно определить",
    "never_met_none": "Каждая пара хотя бы раз выполнила каждый пункт (где это можно определить).",
    "item_one_hour": "Не меньше часа",
    "item_concrete_cases": "Конкретные кейсы, а не общие разговоры",
    "item_recommendations_recorded": "Рекомендации зафиксированы",
    "item_junior_questions": "Младший пришёл с вопросами",
    "item_both_ways": "Оба спрашивали и оба советовали",
    "item_junior_spoke_freely": "Младший говорил свободно, его не перебивали",
    "item_goals_owner_date": "Небольшие цели с ответственным и сроком",
    "item_feedback": "Обмен обратной связью",
    "never_item_concrete_cases": "Пары, у которых ни на одной встрече разбор конкретных кейсов не достиг доли по методике",
    "never_item_junior_questions": "Младшие, которые ни разу не пришли с нужным по методике числом вопросов (могли "
                                   "задать меньше)",
    "check_met": "выполнено", "check_not_met": "не выполнено", "check_cant_tell": "нельзя определить",
    "sec_feedback": "Обратная связь участников",
    "feedback_note": "Ответы анкет, сопоставленные со встречами (или с периодической анкетой пары); обе стороны "
                     "пары рядом. Значения — в шкале самой анкеты.",
    "none_surveys": "Анкеты не переданы (укажите --surveys).",
    "q_satisfaction": "Удовлетворённость", "q_usefulness": "Полезность", "q_self_assessment": "Самооценка",
    "q_psychological_safety": "Мог(ла) говорить свободно",
    "fb_question": "Вопрос", "fb_junior": "Младший", "fb_senior": "Старший", "fb_kind": "Тип",
    "fb_periodic": "периодическая", "fb_session": "встреча",
    "fb_programme_means": "Средние по программе по ролям", "fb_answers": "ответов",
    "fb_share_axis": "ответ (0 — худший, 1 — лучший)", "fb_over_time": "Ответы во времени (среднее обеих сторон)",
    "fb_comments": "Комментарии", "fb_redacted": "Комментарии обезличены (имена, e-mail, телефоны скрыты).",
    "sec_baseline": "До программы и сейчас",
    "baseline_note": "Показатели до программы (файл базовых значений) рядом с показателями программы. «Сейчас» "
                     "измеряет sessionscope, где может; для остальных — значение из файла или «не измеряется». Доля решённых "
                     "проблем — это проблемы, за которыми в записи следуют совет или задача: оценка снизу (читатели "
                     "реальных встреч находят решёнными больше).",
    "none_baseline": "Базовые значения не переданы (укажите --baseline).",
    "bl_programme": "вся программа", "bl_not_measured": "не измеряется", "bl_better": "лучше",
    "bl_worse": "хуже", "bl_same": "без изменений", "bl_n": "n = {n}",
    "sec_goals": "Цели от встречи к встрече",
    "goals_note": "Каждая задача (кроме отмеченных «проверить») ищется в следующих встречах пары "
                  "(метод: {method}); сказанное о ней определяет статус. Доказательства — в programme_goals. "
                  "Эти статусы — подсказки для проверки, а не измеренное выполнение: на встречах AMI цель «упоминалась» во встрече другой команды с той же "
                  "задачей так же часто, как в следующей встрече своей (docs/reports.md).",
    "sec_flows": "Кто кого чему учил, по темам",
    "flows_note": "По каждой теме — советы, которые младший дал старшему, и вопросы и просьбы старшего, на которые "
                  "младший ответил (младший → старший), и наоборот (старший → младший): то, из чего считается "
                  "взаимность, без пунктов «проверить» и без разговоров не по делу. Обратное менторство видно по "
                  "темам, где ведёт столбец младшего. По парам — в programme_flows.",
    "col_j2s": "Младший → старший", "col_s2j": "Старший → младший", "col_area": "Тема",
    "col_flow_sessions": "Встреч", "none_flows": "Советов и ответов между младшим и старшим по темам не найдено.",
    "flows_over": "По {n} из {total} встреч, где это можно измерить (есть обмен знаниями, темы, названы младший и "
                  "старший).",
    "flows_not_measured": "Не измерено: ни в одной встрече нет обмена знаниями по темам между названными младшим и "
                          "старшим (этап извлечения или тем не запускался, или роли не названы).",
    "goals_rates": "По парам", "goals_set": "Поставлено", "goals_done": "Выполнено", "goals_dropped": "Отменено",
    "goals_open": "Открыто", "goals_open_list": "Цели, открытые на последней встрече пары",
    "kpi_goals_open": "Цели (задачи), ещё открытые",
    "kpi_no_junior": "ни в одной встрече не указан младший: задайте роли через -p ИМЯ=junior или манифест",
    "goals_pending_note": "из них {n} ещё без следующей встречи, по которой их можно проверить",
    "goals_none_open": "Открытых целей нет.",
    "status_in_progress": "в работе", "status_dropped": "отменена",
    "sec_correlations": "Корреляции",
    "corr_note": "По встречам: показатель разговора против среднего ответа анкеты по этой встрече (шкала 0–1). "
                 "r Пирсона с 95 % интервалом и rho Спирмена. Встречи одной пары не независимы; при малом числе "
                 "встреч эти числа — в основном шум.",
    "corr_measure": "Показатель", "corr_outcome": "Вопрос анкеты", "corr_small": "мало данных",
    "m_junior_talk_share": "Доля речи младшего", "m_mutuality_index": "Взаимность",
    "m_questions_by_junior": "Вопросы младшего", "m_checklist_met": "Выполнено пунктов",
    "sec_issues": "Проблемы в файлах анкет и базовых значений",
    "issues_note": "Перечисленные строки и значения не использованы; всё остальное обработано.",
    "issue_file": "Файл", "issue_row": "Строка", "issue_column": "Столбец", "issue_kind": "Проблема",
    "kind_unreadable": "файл не читается", "kind_unmatched": "строка не сопоставлена", "kind_bad_value": "неверное значение",
    "kind_out_of_range": "вне шкалы", "kind_duplicate": "повторный ответ", "kind_mapping": "сопоставление",
    "kpi_jwshare": "Средняя доля слов младшего",
    "kpi_over_talk": "по {n} из {total} встреч, где есть время речи младшего; в остальных нет времени или не "
                     "указан младший",
    "kpi_over_word": "по {n} из {total} встреч, где есть слова младшего; в остальных не указан младший или нет слов",
    "kpi_over_mutuality": "по {n} из {total} встреч, где её удалось измерить",
    "kpi_talk_note": "Доля речи младшего — доля времени речи, по {n} из {total} встреч с младшим и временем; "
                     "расшифровка без времени даёт только долю слов, она показана рядом; встреча, где младший не "
                     "указан, не даёт ни той, ни другой.",
    "kpi_mutuality_note": "Средняя взаимность — по {n} из {total} встреч, где её удалось измерить.",
    "of_words": "слов",
    "chart_coverage_title": "Доля обсуждения по темам (каждая встреча — поровну; для расшифровок без времени — доля "
                            "слов)",
    "n_to_check": "+{n} на проверку",
    # формы по {n}: «1 из 8 встреч проанализирована», «2 из 8 встреч проанализированы»
    "stages_note": "{n} из {total} {sessions} проанализирована не полностью: то, что измеряют пропущенные этапы "
                   "(рекомендации, задачи, вопросы, взаимность, сигналы), неизвестно — «н/д» или «–», а не 0: {list}."
                   "|{n} из {total} {sessions} проанализированы не полностью: то, что измеряют пропущенные этапы "
                   "(рекомендации, задачи, вопросы, взаимность, сигналы), неизвестно — «н/д» или «–», а не 0: {list}."
                   "|{n} из {total} {sessions} проанализированы не полностью: то, что измеряют пропущенные этапы "
                   "(рекомендации, задачи, вопросы, взаимность, сигналы), неизвестно — «н/д» или «–», а не 0: {list}.",
    "voices_swapped_note": "Встреча {session}: говорящие сопоставлены с участниками по догадке, и голоса, похоже, "
                           "перепутаны относительно встреч этой пары {others}: показатели младшего в этой встрече или "
                           "в тех могут быть показателями старшего; проверьте командой sessionscope remap.",
    "voices_swapped_note_evidence": "Встреча {session}: говорящие сопоставлены с участниками по догадке, и голоса, "
                                    "похоже, перепутаны относительно встреч этой пары {others}, из них {evidence} "
                                    "сопоставлены по голосу, представлению или вручную: показатели младшего в этой "
                                    "встрече, вероятно, показатели старшего; исправьте командой sessionscope remap.",
    "voices_split_note": "Пара {pair}: голоса её встреч делятся на две равные группы, которые друг с другом не "
                         "согласны, — {first} и {second}, — и во всех говорящие сопоставлены с участниками по "
                         "догадке, поэтому неясно, какая группа верна: в одной из них показатели младшего — это "
                         "показатели старшего. Прослушайте одну встречу и подтвердите или исправьте её командой "
                         "sessionscope remap; при включённых голосовых отпечатках следующий отчёт отметит только "
                         "другую группу.",
    "guessed_note": "{n} из {total} {sessions}: говорящие сопоставлены с участниками по порядку первой реплики "
                    "(догадка) — показатели младшего (доля речи, вопросы, советы) могут быть показателями старшего, "
                    "а тренд пары может смешивать два голоса; проверьте «Качество данных» отчёта и исправьте "
                    "командой sessionscope remap: {list}.|{n} из {total} {sessions}: говорящие сопоставлены с "
                    "участниками по порядку первой реплики (догадка) — показатели младшего (доля речи, вопросы, "
                    "советы) могут быть показателями старшего, а тренд пары может смешивать два голоса; проверьте "
                    "«Качество данных» отчётов и исправьте командой sessionscope remap: {list}.|{n} из {total} "
                    "{sessions}: говорящие сопоставлены с участниками по порядку первой реплики (догадка) — "
                    "показатели младшего (доля речи, вопросы, советы) могут быть показателями старшего, а тренд пары "
                    "может смешивать два голоса; проверьте «Качество данных» отчётов и исправьте командой "
                    "sessionscope remap: {list}.",
    "no_overlap_note": "{n} из {total} {sessions}: расшифровка, фрагменты которой нигде не пересекаются, — правило "
                       "перекрытий не видит в ней перебиваний, поэтому они не считаются (в таблицах пусто, а не 0), "
                       "и ни флаг о перебиваниях, ни пункт методики «Младший говорил свободно, его не перебивали» не "
                       "могли их найти: {list}.|{n} из "
                       "{total} {sessions}: расшифровки, фрагменты которых нигде не пересекаются, — правило перекрытий "
                       "не видит в них перебиваний, поэтому они не считаются (в таблицах пусто, а не 0), и ни флаг о "
                       "перебиваниях, ни пункт методики «Младший говорил свободно, его не перебивали» не могли их "
                       "найти: {list}.|{n} из "
                       "{total} {sessions}: расшифровки, фрагменты которых нигде не пересекаются, — правило перекрытий "
                       "не видит в них перебиваний, поэтому они не считаются (в таблицах пусто, а не 0), и ни флаг о "
                       "перебиваниях, ни пункт методики «Младший говорил свободно, его не перебивали» не могли их "
                       "найти: {list}.",
    "unmeasured_mapping_note": "{n} из {total} {sessions}: говорящие сопоставлены с участниками по сказанному "
                               "(самопредставлению, обращению по имени), уверенность не измерена, как сказано в "
                               "«Качестве данных» отчёта; показатели младшего (доля речи, вопросы, советы) опираются на "
                               "это сопоставление: {list}.|{n} из {total} {sessions}: говорящие сопоставлены с "
                               "участниками по сказанному (самопредставлению, обращению по имени), уверенность не "
                               "измерена, как сказано в «Качестве данных» отчётов; показатели младшего (доля речи, "
                               "вопросы, советы) опираются на это сопоставление: {list}.|{n} из {total} {sessions}: "
                               "говорящие сопоставлены с участниками по сказанному (самопредставлению, обращению по "
                               "имени), уверенность не измерена, как сказано в «Качестве данных» отчётов; показатели "
                               "младшего (доля речи, вопросы, советы) опираются на это сопоставление: {list}.",
    # формы по {n}: one|few|many
    "left_out_short": "ещё {n} файл этих пакетов не проанализирован, см. ниже|ещё {n} файла этих пакетов не "
                      "проанализированы, см. ниже|ещё {n} файлов этих пакетов не проанализированы, см. ниже",
    "left_out_note": "{n} файл из пакетов этого отчёта не удалось проанализировать, он не входит ни в один показатель: "
                     "встречи, часы и динамика его пары посчитаны без него. Проверьте его (ошибка объясняет причину; "
                     "запись без речи проанализировать нельзя) и, исправив, запустите ту же команду sessionscope analyze "
                     "или run ещё раз (уже записанные встречи сохранятся):|{n} файла из пакетов этого "
                     "отчёта не удалось проанализировать, они не входят ни в один показатель: встречи, часы и "
                     "динамика их пар посчитаны без них. Проверьте их (ошибки объясняют причину; запись без речи "
                     "проанализировать нельзя) и, исправив, запустите ту же команду sessionscope analyze или run "
                     "ещё раз (уже записанные встречи сохранятся):|{n} файлов из пакетов этого отчёта не удалось "
                     "проанализировать, они не входят ни в один показатель: встречи, часы и динамика их пар "
                     "посчитаны без них. Проверьте их (ошибки объясняют причину; запись без речи "
                     "проанализировать нельзя) и, исправив, запустите ту же команду sessionscope analyze или run ещё раз (уже "
                     "записанные встречи сохранятся):",
    "left_out_unfinished_note": "Пакет этого отчёта остановился, не обработав все файлы; необработанные файлы не "
                                "входят ни в один показатель (запустите ту же команду ещё раз, чтобы закончить): "
                                "{list}.",
    "left_out_earlier_note": "{n} встреча не обработана в последнем пакете; показатели считают результат прежнего "
                             "запуска:|{n} встречи не обработаны в последнем пакете; показатели считают результаты "
                             "прежнего запуска:|{n} встреч не обработаны в последнем пакете; показатели считают "
                             "результаты прежнего запуска:",
    "few_flows_note": "{n} из {total} {sessions}: взаимность рассчитана по слишком малому числу обменов (данные советы и "
                      "ответы на вопросы), чтобы на неё опираться, как сказано в отчёте; средняя взаимность и взаимность "
                      "пары её учитывают: {list}.|{n} из {total} {sessions}: взаимность рассчитана по слишком малому числу "
                      "обменов (данные советы и ответы на вопросы), чтобы на неё опираться, как сказано в отчётах; средняя "
                      "взаимность и взаимность пар их учитывают: {list}.|{n} из {total} {sessions}: взаимность рассчитана "
                      "по слишком малому числу обменов (данные советы и ответы на вопросы), чтобы на неё опираться, как "
                      "сказано в отчётах; средняя взаимность и взаимность пар их учитывают: {list}.",
    "audio_events_note": "{n} из {total} {sessions} — запись, в которой кто когда говорил определено по звуку: на "
                         "тестовых записях двух человек реплик находилось примерно на десятую часть меньше, а "
                         "перебивания, наложения, поддакивания и паузы расходились с эталоном наполовину и больше в "
                         "каждой встрече; доли времени речи, баланс и индекс очерёдности — в пределах нескольких пунктов. "
                         "Читайте эти счётчики как тенденцию, перебивания — как нижнюю оценку (docs/metrics.md, «Measures "
                         "from audio»).|{n} из {total} {sessions} — записи, в которых кто когда говорил определено по "
                         "звуку: на тестовых записях двух человек реплик находилось примерно на десятую часть меньше, а "
                         "перебивания, наложения, поддакивания и паузы расходились с эталоном наполовину и больше в "
                         "каждой встрече; доли времени речи, баланс и индекс очерёдности — в пределах нескольких пунктов. "
                         "Читайте эти счётчики как тенденцию, перебивания — как нижнюю оценку (docs/metrics.md, «Measures "
                         "from audio»).|{n} из {total} {sessions} — записи, в которых кто когда говорил определено по "
                         "звуку: на тестовых записях двух человек реплик находилось примерно на десятую часть меньше, а "
                         "перебивания, наложения, поддакивания и паузы расходились с эталоном наполовину и больше в "
                         "каждой встрече; доли времени речи, баланс и индекс очерёдности — в пределах нескольких пунктов. "
                         "Читайте эти счётчики как тенденцию, перебивания — как нижнюю оценку (docs/metrics.md, «Measures "
                         "from audio»).",
    "guess_mark": "догадка",
    "share_of": "{k} из {n}",
    "kpi_goals_done": "Цели выполнены", "kpi_satisfaction": "Средняя удовлетворённость",
    "ckm_one_hour": "минут", "ckm_concrete_cases": "доля разбора кейсов и проблем",
    "ckm_recommendations_recorded": "найдено рекомендаций", "ckm_junior_questions": "вопросов младшего",
    "ckm_both_ways": "вопросы/рекомендации", "ckm_junior_spoke_freely": "доля речи младшего",
    "ckm_junior_spoke_freely_words": "доля слов младшего (в расшифровке нет времени)",
    "ckm_concrete_cases_words": "доля разбора кейсов и проблем, по словам (в расшифровке нет времени)",
    "ckm_goals_owner_date": "задач с ответственным и сроком", "ckm_feedback": "обратная связь",
    "ck_cut_off": "перебивали {n} раз|перебивали {n} раза|перебивали {n} раз", "ck_no_survey": "обратная связь могла быть вне записи: передайте анкеты "
                                                     "(--surveys)",
    "ckr_no_junior": "ни у кого из участников нет роли младшего", "ckr_no_senior": "ни у кого из участников нет роли старшего",
    "ckr_no_pair": "ни у кого из участников нет ролей младшего и старшего", "ckr_no_times": "в расшифровке нет времени",
    "ckr_start_only": "в расшифровке есть только время начала реплик", "ckr_no_segments": "нет фрагментов по темам",
    "ckr_no_share": "доля речи не измерена", "ckr_no_words": "в расшифровке нет слов",
    "ckr_to_check": "выполнено только за счёт пунктов «проверить» (их низкая уверенность на русской речи не измерена): подтвердите их",
    "ckr_modes_miss": "режимы обсуждения нашли мало разбора кейсов и проблем, а на реальных записях они его часто пропускают (читатели видели его на 39 из 45 таких встреч): проверьте",
    "ck_with_tags": "вместе с переспросами-подтверждениями вроде «…, да?» и вопросами вежливости или о следующей "
                    "встрече вроде «Как дела?» — {n}, как в таблице участников",
    "ck_item": "Пункт методики", "ck_status": "Статус", "ck_evidence": "Показатель и подтверждение", "ck_threshold": "порог",
    "ck_note": "Что запись показывает о выполнении рекомендаций методики: выполнено, не выполнено или нельзя "
               "определить (этап анализа не запускался, запись этого не показывает или выполнено только за счёт "
               "пунктов «проверить»).",
}


def _stages_in(t: Any, text: str) -> str:
    """The not-analysed list ("SBC009b (topics: skipped, extraction: failed)", ``programme.not_analysed``) with each
    stage and status in the report's language: «Тематические области»: пропущен (the stages' names have commas)."""
    def one(pair: str) -> str:
        name, status = pair.split(": ", 1)
        label = t.stage(name)
        said = t(f"status_{status}") if t.has(f"status_{status}") else status
        return f"«{label}»: {said}" if label != name else f"{name}: {said}"

    return re.sub(r"\(([\w.]+: \w+(?:, [\w.]+: \w+)*)\)",
                  lambda m: "(" + ", ".join(one(x) for x in m.group(1).split(", ")) + ")", text)


def pt(t: Any, key: str, **kwargs: Any) -> str:
    """A programme UI string in the translator's language (English, then the session table, as fallbacks)."""
    table = RU if t.lang == "ru" else EN
    if key == "stages_note" and t.lang != "en" and isinstance(kwargs.get("list"), str):
        kwargs = {**kwargs, "list": _stages_in(t, kwargs["list"])}
    template = table.get(key) or EN.get(key)
    if template is None:
        return t(key, **kwargs)
    return template.format(**kwargs) if kwargs else template


def stages_note(t: Any, *, n: int, total: int, listed: str, key: str = "stages_note") -> str:
    """"1 of 8 sessions was not fully analysed…" / "2 of 8 sessions were…" (and "1 of 1 session was"); «1 из 8
    встреч проанализирована…», «из 1 встречи»: the verb agrees with ``n``, the noun with ``total``. ``key``: another
    note of the same shape (``guessed_note``)."""
    from sessionscope.report.i18n import plural

    if t.lang == "ru":  # «из 1 встречи», «из 21 встречи», «из 8 встреч»: genitive singular only after …1 (not 11)
        noun = "встречи" if total % 10 == 1 and total % 100 != 11 else "встреч"
    else:
        noun = "session" if total == 1 else "sessions"
    return plural(pt(t, key, n=n, total=total, sessions=noun, list=listed), n, t.lang)
