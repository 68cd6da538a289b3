"""Demo content for issue 20 (placeholder: the part that owns it fills it in)."""


def load(*, stdout) -> None:
    return None
