"""Running the evaluation protocols on the shipped labelled data and keeping their figures
(``EvaluationReport``), for the command and the admin's model page."""

from collections.abc import Callable

from newsdesk.moderation import protocols as runs
from newsdesk.moderation.labelled import (
    INDEPENDENT_SET,
    labelled_data_fingerprint,
    labelled_examples_read,
    labelled_training_examples,
)
from newsdesk.moderation.models import EvaluationReport


def evaluation_report_run(
    *, protocols: list[str] | None = None, progress: Callable[[str], None] | None = None
) -> tuple[EvaluationReport, list[runs.ProtocolResult]]:
    """Run ``protocols`` (default: all of ``protocols.PROTOCOLS``, in that order) and store
    their figures as a new ``EvaluationReport``; return it and the results, in order."""
    names = protocols or list(runs.PROTOCOLS)
    examples = labelled_training_examples()
    results: list[runs.ProtocolResult] = []
    for name in names:
        if progress:
            progress(f"protocol {name}")
        if name == "random":
            results.append(runs.random_holdout(examples))
        elif name in ("target", "form"):
            results.append(runs.leave_one_out(examples, key=name, progress=progress))
        elif name == "independent":
            independent = labelled_examples_read(path=INDEPENDENT_SET)
            results.append(runs.independent_set(examples, independent))
        elif name == "moderators":
            results.extend(runs.moderators_gain(examples, progress=progress))
        else:
            raise ValueError(f"unknown protocol {name!r}")
    report = EvaluationReport.objects.create(
        data_fingerprint=labelled_data_fingerprint(),
        example_count=len(examples),
        figures={result.name: result.summary() for result in results},
    )
    return report, results
