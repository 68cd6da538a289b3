"""Demo content of the funding app (filled in with that app)."""


def load(*, stdout) -> None:
    return None
