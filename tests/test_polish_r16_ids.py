"""Round 16, helper "polish": Zoom's ``X.transcript.vtt`` is the session ``X`` (r15 #17, r16 pair E), ids stay unique,
and an output written under the old id is kept, not left beside a second copy. Fails before the fix; model-free.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from sessionscope.batch import make_items

VTT = "WEBVTT\n\n1\n00:00:00.000 --> 00:00:04.000\nAnna: Hello, how was your week?\n\n" \
      "2\n00:00:04.500 --> 00:00:09.000\nBoris: Busy, I kept missing deadlines.\n"


def test_zoom_transcript_id_drops_the_double_extension(tmp_path: Path) -> None:
    files = [tmp_path / "GMT20240124-202901_Recording.transcript.vtt", tmp_path / "a" / "s01.cc.vtt",
             tmp_path / "notes.v2.vtt", tmp_path / "x.transcript.txt"]
    ids = [it.session_id for it in make_items(files)]
    assert ids == ["GMT20240124-202901_Recording", "s01", "notes.v2", "x.transcript"]  # only known double extensions


def test_ids_stay_unique_when_two_files_give_the_same_id(tmp_path: Path) -> None:
    files = [tmp_path / "m1" / "X.transcript.vtt", tmp_path / "m1" / "X.vtt", tmp_path / "m2" / "X.transcript.vtt"]
    ids = [it.session_id for it in make_items(files)]
    assert len(set(ids)) == 3 and ids[0] == "X", ids


def test_an_output_under_the_old_id_is_kept_not_duplicated(tmp_path: Path) -> None:
    from sessionscope.cli import cli

    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "GMT1_Recording.transcript.vtt").write_text(VTT, encoding="utf-8")
    out = tmp_path / "out"
    runner = CliRunner()
    args = ["analyze", str(inp), "--out", str(out), "--no-progress", "--stages", "dynamics", "--format", "json"]
    res = runner.invoke(cli, args)
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["GMT1_Recording"]
    # an output folder an older version wrote: the rerun keeps writing there (and says so) instead of a second copy
    (out / "GMT1_Recording").rename(out / "GMT1_Recording.transcript")
    res = runner.invoke(cli, args)
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["GMT1_Recording.transcript"]
    assert "older version" in res.output, res.output
    batch = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    assert [r["session_id"] for r in batch["results"]] == ["GMT1_Recording.transcript"]
