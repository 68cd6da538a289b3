"""Demo content of the discussion app (filled in with that app)."""


def load(*, stdout) -> None:
    return None
