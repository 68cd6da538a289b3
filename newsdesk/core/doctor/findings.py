"""What a doctor check answers (``Finding``), how findings are printed, and the exit code."""

from collections.abc import Callable
from dataclasses import dataclass

OK = "OK"
WARN = "WARN"
FAIL = "FAIL"


@dataclass(frozen=True)
class Finding:
    """One check's answer: ``status`` (OK, WARN or FAIL), ``found`` (a sentence: what was
    seen), ``todo`` (what to do; empty when OK)."""

    name: str
    status: str
    found: str
    todo: str = ""


def guarded(check: Callable[[], Finding]) -> Finding:
    """Run ``check``; a check that raises is a FAIL naming the error, never a traceback."""
    try:
        return check()
    except Exception as error:  # the install is broken in a way the check did not foresee
        name = getattr(check, "__name__", "check").removesuffix("_check")
        return Finding(
            name=name,
            status=FAIL,
            found=f"the check itself failed: {type(error).__name__}: {error}",
            todo="read the error above; docs/production.md, 'Checking an install: doctor'",
        )


def render(findings: list[Finding]) -> list[str]:
    """One line per check (``OK   name      what was found``), and under each that is not OK
    one line ``     -> what to do``; then a summary line."""
    width = max((len(finding.name) for finding in findings), default=0)
    lines = []
    for finding in findings:
        lines.append(f"{finding.status:<4} {finding.name:<{width}}  {finding.found}")
        if finding.status != OK and finding.todo:
            lines.append(f"{'':<4} {'':<{width}}  -> {finding.todo}")
    counts = {status: sum(f.status == status for f in findings) for status in (OK, WARN, FAIL)}
    lines.append(f"{counts[OK]} OK, {counts[WARN]} WARN, {counts[FAIL]} FAIL")
    return lines


def exit_code(findings: list[Finding], *, strict: bool = False) -> int:
    """0 when nothing failed (warnings allowed unless ``strict``), 1 otherwise."""
    failing = {FAIL, WARN} if strict else {FAIL}
    return 1 if any(finding.status in failing for finding in findings) else 0
