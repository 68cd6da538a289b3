"""axe-core in a Playwright page, and its findings written for a person to act on.

axe-core comes from axe-playwright-python (its bundled ``axe.min.js``). Playwright's
``evaluate`` hands the script to the page through the DevTools protocol, which the page's
Content Security Policy does not govern, and axe-core needs no ``eval`` of its own: so the
pages are checked under their real policy, with no ``bypass_csp`` (a bypassed policy would
also let through a stylesheet or font the real one blocks, and hide what readers see).
"""

from axe_playwright_python.sync_playwright import Axe

# What fails the check: axe-core's two top impacts. "moderate" and "minor" are reported by
# ``violations_text`` when asked, but do not fail.
BLOCKING_IMPACTS = frozenset({"serious", "critical"})

_axe = Axe()


def axe_violations(page) -> list[dict]:
    """Every axe-core violation on the page as it stands (all of axe's rules), each as axe
    reports it (``id``, ``impact``, ``help``, ``helpUrl``, ``nodes`` with their ``target``).

    Raises AssertionError if axe-core did not run (nothing would be found, silently)."""
    response = _axe.run(page).response
    engine = response.get("testEngine", {}).get("name")
    assert engine == "axe-core" and response.get("passes"), f"axe-core did not run: {engine}"
    return response["violations"]


def blocking(violations: list[dict]) -> list[dict]:
    """The violations of serious or critical impact."""
    return [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]


def violations_text(violations: list[dict], *, where: str) -> str:
    """One paragraph per violation: rule, impact, what it means, its help page, and each
    element it was found on (CSS target and the start of its markup)."""
    lines = []
    for violation in violations:
        lines.append(
            f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}"
            f"\n  help: {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            html = " ".join(node.get("html", "").split())[:160]
            lines.append(f"  target: {target}\n    {html}")
            summary = node.get("failureSummary")
            if summary:
                lines.append("    " + " ".join(summary.split())[:300])
    return "\n".join(lines)
