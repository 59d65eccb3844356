"""``sessionscope remap``: correct who-is-who in a processed recording and re-run the analysis.

Nothing is transcribed again: the session keeps, per utterance, the diarization label it
came from, so a new label → participant mapping rewrites the speakers and the text
stages run on the result.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import click

from sessionscope.remapping import Enrolment, remap_session

__all__ = ["remap", "remap_session"]


@click.command()
@click.argument("session_dir", type=click.Path(exists=True, path_type=Path))
@click.option("--speaker", "speakers", multiple=True, required=True, metavar="LABEL=PARTICIPANT[:ROLE]",
              help="Diarization label and the participant id or name it really is, e.g. SPEAKER_00=anna; "
                   "NAME:ROLE adds someone new (SPEAKER_01='Boris Ivanov:senior'); repeatable.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="YAML config (default: the config recorded in the session's provenance).")
@click.option("--stages", help="Comma-separated text stages (default: those recorded in the provenance).")
@click.option("--format", "formats", multiple=True, help="Output formats besides session.json (default from config).")
def remap(session_dir: Path, speakers: tuple[str, ...], config_path: Optional[Path], stages: Optional[str],
          formats: tuple[str, ...]) -> None:
    """Correct the speaker → participant mapping of a `run` output and redo the analysis (no re-transcription).

    \b
    Examples:
      sessionscope remap results/session-01 --speaker SPEAKER_00=anna --speaker SPEAKER_01=boris
      sessionscope remap results/call --speaker SPEAKER_00=Anna:junior --speaker SPEAKER_01=Boris:senior
    """
    import json

    from sessionscope.api import remap as remap_and_analyse
    from sessionscope.cli.analyze import split_stages
    from sessionscope.config import config_from_dict, load_config
    from sessionscope.errors import SessionscopeError
    from sessionscope.model import session_from_dict, write_session_json
    from sessionscope.outputs import check_formats, write_outputs

    path = session_dir / "session.json" if session_dir.is_dir() else session_dir
    if session_dir.is_dir() and not path.is_file():  # the results folder, not one session's: say which to give
        inside = sorted(p.parent.name for p in session_dir.glob("*/session.json"))
        raise click.BadParameter(
            f"{session_dir} holds no session.json: give one session's folder"
            + (f", e.g. {session_dir / inside[0]} (of {len(inside)} here)" if inside else ""), param_hint="SESSION_DIR")
    mapping = {}
    for spec in speakers:
        lab, sep, who = spec.partition("=")
        if not sep or not lab.strip() or not who.strip():
            raise click.BadParameter(f"{spec!r}: expected LABEL=PARTICIPANT, e.g. SPEAKER_00=anna", param_hint="--speaker")
        mapping[lab.strip()] = who.strip()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))  # read once: the session and its provenance
        prov = data.get("provenance") or {}
        session = session_from_dict(data, path=path)
        config = load_config(config_path) if config_path else config_from_dict(prov.get("config") or {})
        names = split_stages(stages) or prov.get("stages") or config.pipeline.stages
        fmts = check_formats(["json", *([f for fs in formats for f in fs.split(",")] or config.report.formats)])
        session = remap_and_analyse(session, mapping, config=config, stages=list(names))
        write_outputs(session, path.parent, fmts, config=config)
        prov = {**prov, "stages": list(names), "remapped": mapping}  # resume key kept: a rerun keeps the correction
        write_session_json(session, path, provenance=prov)
    except (SessionscopeError, OSError, ValueError) as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"remapped {', '.join(f'{k}→{v}' for k, v in mapping.items())}; outputs rewritten in {path.parent}")
    enrolment = _enrol(session, mapping, config, path)
    names = {p.id: p.name for p in session.participants}
    for pids, what in ((enrolment.created, "made"), (enrolment.updated, "updated")):
        if pids:
            click.echo(f"voiceprints of {', '.join(names.get(p, p) for p in pids)} {what} from this session's voices: "
                       f"the pair's later recordings are matched to them by voice")
    if enrolment.unchanged:
        click.echo(f"voiceprints of {', '.join(names.get(p, p) for p in enrolment.unchanged)} already hold these "
                   f"voices from this session")
    if enrolment.withdrawn:
        click.echo(f"this session's voice taken out of the voiceprints of "
                   f"{', '.join(names.get(p, p) for p in enrolment.withdrawn)}: `run` had folded it in under the "
                   f"mapping this correction replaces")
    for line in silent_after_remap(session):
        click.echo(f"warning: {line}", err=True)


def _enrol(session: Any, mapping: dict[str, str], config: Any, path: Path) -> Enrolment:
    """The hand-named voices folded into the pair's voiceprints (voiceprints on: ``participants.voiceprint_dir``,
    else ``voiceprints/`` beside the session folder, where ``run`` keeps them), and this session's voices taken
    out of prints the correction contradicts."""
    from sessionscope.errors import SessionscopeError
    from sessionscope.remapping import enrol_confirmed

    pc = config.participants
    where = Path(pc.voiceprint_dir) if pc.voiceprint_dir else path.parent.parent / "voiceprints"
    if not pc.save_voiceprints:  # the user's choice: nothing to say
        return Enrolment()
    try:
        enrolment = enrol_confirmed(session, mapping, where) if where.is_dir() else Enrolment()
    except (SessionscopeError, OSError, ValueError) as e:  # the remap itself is done and written
        click.echo(f"warning: voiceprints not updated: {e}", err=True)
        return Enrolment()
    if not enrolment and isinstance((session.extra or {}).get("audio"), dict):  # a recording: README promises it
        why = ("the session names no pair (voiceprints are kept per pair: give `pair` in the manifest)"
               if not session.pair_id else
               f"no voices of the named speakers were kept for this session in {where} (`run` keeps them there with "
               f"voiceprints on)")
        click.echo(f"note: voiceprints not updated: {why}", err=True)
    return enrolment


def silent_after_remap(session: Any) -> list[str]:
    """A line per junior or senior who has no speech left after a remap ("--speaker SPEAKER_00=rob" when rob already
    had SPEAKER_01 gives Rob both voices and Lena none: the report then reads "only Rob can be heard")."""
    from sessionscope.model import Role

    spoken = {u.speaker for u in session.utterances}
    by_label = (session.extra or {}).get("audio", {}).get("speaker_map") or {}
    names = {p.id: p.name for p in session.participants}
    labels = ", ".join(f"{lab}→{names.get(pid, pid)}" for lab, pid in by_label.items())
    return [f"{p.name} ({p.role.value}) has no speech after this remap" + (f" (the labels now read {labels})" if labels
            else "") + f"; if {p.name} speaks in the recording, name that label: --speaker LABEL={p.id}"
            for p in session.participants if p.role in (Role.JUNIOR, Role.SENIOR) and p.id not in spoken]
