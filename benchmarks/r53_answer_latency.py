"""Round 53: how long after a question a reply may start and still answer it (``dynamics.answer_max_latency_s``,
10 s until round 53, 6 s since), chosen on the held-out train meetings.

    nice -n 10 python benchmarks/r53_answer_latency.py 8 benchmarks/r52_two_person_acts.py --split heldout \\
        --out benchmarks/results/r53_answer_latency_8_pairs_heldout.json
    nice -n 10 python benchmarks/r53_answer_latency.py 8 benchmarks/dialogue_acts_eval.py --only questions \\
        --split heldout --out benchmarks/results/r53_answer_latency_8_questions_heldout.json

Runs the given script with the default of ``dynamics.answer_max_latency_s`` set to the latency (seconds) given first,
the rest of the configuration as shipped (the held-out and dev runs of ``r52_two_person_acts.py`` and
``dialogue_acts_eval.py`` were taken with a first version that set it on each ``DynamicsConfig()`` those scripts build,
the same thing for them; it did not reach a ``Config`` built inside ``api.analyze``, which ``r49_flow_validity.py``
uses). ``r52_two_person_acts.py`` scores *answered* on the meetings' two-person stretches as a
pair's session (where the rule decides: mentoring pairs) and in the whole meeting (the learned answer head);
``dialogue_acts_eval.py --only questions`` on every question of the held-out meetings (the head; ``rule`` beside it)
and the bundled examples. The measure is agreement with "the corpus links a responder" (MRDA and AMI adjacency
pairs). Pre-set rule: the latency with the highest agreement on the pair stretches (MRDA and AMI pooled by question)
that lowers neither corpus's whole-meeting agreement nor the examples' answered right; then dev once.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

if __name__ == "__main__":
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    latency, script = float(sys.argv[1]), sys.argv[2]
    sys.argv = [script, *sys.argv[3:]]
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import sessionscope.config as config

    # the field's default, so that a Config built anywhere (``api.analyze``) gets it too, not only DynamicsConfig()
    config.DynamicsConfig.model_fields["answer_max_latency_s"].default = latency
    config.DynamicsConfig.model_rebuild(force=True)
    assert config.Config().dynamics.answer_max_latency_s == latency
    runpy.run_path(script, run_name="__main__")
