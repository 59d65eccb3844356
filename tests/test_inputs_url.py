"""URL inputs (issue 12): listed by the driver, read where they are by the worker through fsspec."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

fsspec = pytest.importorskip("fsspec")

from sessionscope.batch import discover, make_items, run_batch  # noqa: E402
from sessionscope.engines import LocalEngine  # noqa: E402
from sessionscope.errors import InputError  # noqa: E402
from sessionscope.inputs import (  # noqa: E402
    TRANSCRIPT_SUFFIXES,
    RemoteInput,
    input_sha256,
    is_url,
    load_transcript_item,
    local_copy,
    manifest_transcripts,
)
from test_engines import VTT, comparable, dynamics_spec, statuses  # noqa: E402


@pytest.fixture
def mem():
    """A private folder of fsspec's in-process memory filesystem, removed after the test."""
    fs = fsspec.filesystem("memory")
    root = "/sessionscope-test"
    fs.mkdirs(root, exist_ok=True)
    for i in range(2):
        fs.pipe(f"{root}/calls/call{i}.vtt", VTT.replace("Anna", f"Anna{i}").encode())
    fs.pipe(f"{root}/calls/.hidden.vtt", VTT.encode())
    fs.pipe(f"{root}/calls/notes.pdf", b"%PDF")
    yield fs, root
    fs.rm(root, recursive=True)


def test_url_is_told_from_local_paths():
    assert is_url("memory://x/a.vtt") and is_url("s3://bucket/k.vtt") and is_url("file:///tmp/a.vtt")
    assert not is_url("a.vtt") and not is_url("/tmp/a.vtt") and not is_url(Path("memory://x")) and not is_url("C:\\a.vtt")
    r = RemoteInput("s3://bucket/dir/s01.transcript.vtt")
    assert (r.name, r.stem, r.suffix, r.parent.name) == ("s01.transcript.vtt", "s01.transcript", ".vtt", "dir")
    assert str(r) == "s3://bucket/dir/s01.transcript.vtt" and r.resolve() is r


def test_memory_urls_are_listed_not_read_then_read_by_the_worker(mem, tmp_path):
    fs, root = mem
    files = discover([f"memory://{root}/calls", f"memory://{root}/missing.vtt"], suffixes=TRANSCRIPT_SUFFIXES)
    assert [f.name for f in files] == ["call0.vtt", "call1.vtt", "missing.vtt"]  # hidden and .pdf skipped; missing kept
    assert all(isinstance(f, RemoteInput) for f in files)
    items = make_items(files)
    spec = dynamics_spec()
    report = run_batch(items, spec, tmp_path / "out")
    assert statuses(report) == {"call0": "ok", "call1": "ok", "missing": "failed"}
    missing = next(r for r in report.results if r.status == "failed")
    assert "cannot read input" in missing.error
    d = json.loads((tmp_path / "out" / "call0" / "session.json").read_text(encoding="utf-8"))
    assert d["provenance"]["input"] == f"memory://{root}/calls/call0.vtt"
    assert d["provenance"]["resume_key"]["input_sha256"] == input_sha256(files[0])
    assert {p["name"] for p in d["participants"]} >= {"Anna0", "Boris"}
    # resume: unchanged content resumes; a changed URL's content is processed again
    again = run_batch(items, spec, tmp_path / "out")
    assert statuses(again)["call0"] == statuses(again)["call1"] == "resumed"
    fs.pipe(f"{root}/calls/call1.vtt", VTT.replace("Anna", "Zoe").encode())
    third = run_batch(items, spec, tmp_path / "out")
    assert statuses(third)["call0"] == "resumed" and statuses(third)["call1"] == "ok"


def test_url_read_errors_are_per_file_and_clear(mem, tmp_path):
    fs, root = mem
    spec = dynamics_spec()
    files = [RemoteInput("nosuchscheme://x/a.vtt"), RemoteInput(f"memory://{root}/calls/call0.vtt")]
    assert [f.name for f in discover([str(f) for f in files], suffixes=TRANSCRIPT_SUFFIXES)] == ["a.vtt", "call0.vtt"]
    report = run_batch(make_items(files), spec, tmp_path / "out")
    assert statuses(report) == {"a": "failed", "call0": "ok"}
    assert "unknown URL scheme" in report.results[0].error
    # too large: refused before a byte is copied
    with pytest.raises(InputError, match="larger than"):
        with local_copy(files[1], max_bytes=10):
            pass
    # the worker-local copy is deleted after use
    with local_copy(files[1]) as local:
        assert local.name == "call0.vtt" and local.read_text(encoding="utf-8").startswith("WEBVTT")
    assert not local.exists() and not local.parent.exists()
    # a load of a missing URL is an InputError (the batch turns it into a failed item)
    with pytest.raises(InputError, match="cannot read URL"):
        load_transcript_item(make_items([RemoteInput(f"memory://{root}/nope.vtt")])[0], spec)


def test_missing_fsspec_is_a_clear_per_file_error(monkeypatch, mem, tmp_path):
    import sys

    monkeypatch.setitem(sys.modules, "fsspec", None)  # import fsspec → ImportError
    fs, root = mem
    items = make_items(discover([f"memory://{root}/calls/call0.vtt"], suffixes=TRANSCRIPT_SUFFIXES))
    report = run_batch(items, dynamics_spec(), tmp_path / "out")
    assert statuses(report) == {"call0": "failed"} and "needs fsspec" in report.results[0].error


def test_file_urls_with_two_local_workers_match_local_paths_and_manifest_urls(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(2):
        (folder / f"call{i}.vtt").write_text(VTT.replace("Anna", f"Anna{i}"), encoding="utf-8")
    spec = dynamics_spec()
    run_batch(make_items(discover([folder], suffixes=TRANSCRIPT_SUFFIXES)), spec, tmp_path / "ref")
    urls = discover([folder.as_uri(), (tmp_path / "gone.vtt").as_uri()], suffixes=TRANSCRIPT_SUFFIXES)
    assert [type(f) for f in urls] == [RemoteInput] * 3
    engine = LocalEngine(2)
    try:
        par = run_batch(make_items(urls), spec, tmp_path / "par", engine=engine)
        assert statuses(par) == {"call0": "ok", "call1": "ok", "gone": "failed"}
        a, b = comparable(tmp_path / "ref"), comparable(tmp_path / "par")
        for d in (*a.values(), *b.values()):
            d["provenance"].pop("input")
            d.pop("source", None)
        assert a == b and len(a) == 2
        again = run_batch(make_items(urls), spec, tmp_path / "par", engine=engine)
        assert statuses(again) == {"call0": "resumed", "call1": "resumed", "gone": "failed"}
    finally:
        engine.close()
    # manifest `transcript:` URLs and the CLI's URL arguments
    manifest = tmp_path / "sessions.yaml"
    manifest.write_text(
        "sessions:\n"
        f"  - id: first\n    transcript: {(folder / 'call0.vtt').as_uri()}\n    language: en\n"
        f"  - id: second\n    transcript: {(folder / 'call1.vtt').as_uri()}\n    language: en\n", encoding="utf-8")
    from sessionscope.cli import cli
    from sessionscope.runspec import build_run_spec

    m = build_run_spec("analyze", stages=["dynamics"], manifest_path=manifest).manifest
    assert [str(p) for p in manifest_transcripts(m)] == [(folder / f"call{i}.vtt").as_uri() for i in range(2)]
    res = CliRunner().invoke(cli, ["analyze", "--manifest", str(manifest), "--stages", "dynamics", "--format", "markdown",
                                    "--out", str(tmp_path / "cli")])
    assert res.exit_code == 0, res.output
    assert sorted(p.parent.name for p in (tmp_path / "cli").glob("*/session.json")) == ["first", "second"]
    res = CliRunner().invoke(cli, ["analyze", (folder / "call0.vtt").as_uri(), "--stages", "dynamics",
                                    "--format", "markdown", "--out", str(tmp_path / "cli2")])
    assert res.exit_code == 0, res.output
    d = json.loads((tmp_path / "cli2" / "call0" / "session.json").read_text(encoding="utf-8"))
    assert d["provenance"]["input"] == (folder / "call0.vtt").as_uri()


def test_ray_sizes_a_url_recording_without_opening_it():
    from sessionscope.batch import BatchItem
    from sessionscope.engines.ray_engine import GB, worker_resources

    rec = BatchItem(RemoteInput("memory://nowhere/long.m4a"), "long")  # does not exist: never opened
    assert worker_resources([rec]).memory == int((2.25 + 0.35 * 2.0) * GB)
    assert worker_resources([BatchItem(RemoteInput("memory://nowhere/a.vtt"), "a")]).memory == int(1.5 * GB)


def test_python_api_takes_urls(mem, tmp_path):
    import sessionscope as ss

    fs, root = mem
    report = ss.process_batch([f"memory://{root}/calls"], out=tmp_path / "out", stages=["dynamics"], formats=["markdown"])
    assert statuses(report) == {"call0": "ok", "call1": "ok"}
    assert report.results[0].session.source == f"memory://{root}/calls/call0.vtt"


def test_a_url_recording_is_copied_to_a_worker_local_temp_file_then_deleted(mem, tmp_path, monkeypatch):
    """`run` on a URL: the worker transcribes a local copy under the URL's name (faked ASR), then deletes it."""
    import sessionscope.audio.pipeline as pipeline
    from sessionscope.config import Config
    from sessionscope.io import read_transcript
    from sessionscope.runspec import build_run_spec

    fs, root = mem
    fs.pipe(f"{root}/rec/s01.m4a", b"not really audio, but the bytes must arrive intact")
    vtt = tmp_path / "s01.vtt"
    vtt.write_text(VTT, encoding="utf-8")
    seen = []

    def fake_transcribe(path, **kw):
        seen.append(path)
        assert path.name == "s01.m4a" and path.read_bytes() == fs.cat(f"{root}/rec/s01.m4a")
        return read_transcript(vtt, session_id=kw.get("session_id"))

    monkeypatch.setattr(pipeline, "transcribe_file", fake_transcribe)
    spec = build_run_spec("run", config=Config(), stages=["dynamics"], formats=("markdown",))
    from sessionscope.audio.decode import AUDIO_SUFFIXES

    items = make_items(discover([f"memory://{root}/rec"], suffixes=AUDIO_SUFFIXES))
    report = run_batch(items, spec, tmp_path / "out")
    assert statuses(report) == {"s01": "ok"} and len(seen) == 1
    assert not seen[0].exists() and not seen[0].parent.exists()  # the temporary copy is gone
    assert report.results[0].session.source == f"memory://{root}/rec/s01.m4a"
