"""``bundled_resource``: one place that knows where the package's shipped files are."""

from sessionscope.analysis import questions
from sessionscope.fileio import bundled_resource


def test_bundled_resource_points_into_the_package() -> None:
    root = bundled_resource()
    assert root.name == "resources" and root.parent.name == "sessionscope"
    assert bundled_resource("taxonomy.yaml").is_file()
    assert bundled_resource("dialogue_acts", "question_head.npz") == root / "dialogue_acts" / "question_head.npz"


def test_head_paths_use_it() -> None:
    assert questions.question_head_path() == bundled_resource("dialogue_acts", "question_head.npz")
    assert questions.answer_head_path() == bundled_resource("dialogue_acts", "answer_head.npz")
