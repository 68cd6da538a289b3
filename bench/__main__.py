"""Run every benchmark in ``bench/`` in turn, each in its own process, printing its figures.

python -m bench            # all of them
python -m bench NAME...    # only these (module names, e.g. moderation_bench, viral)

The modules run in name order, then the packages (``viral``, issue 8) last: its JSON figures
are the last line of ``make bench``.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(names: list[str]) -> int:
    scripts = sorted(path.stem for path in HERE.glob("*.py") if not path.stem.startswith("_"))
    scripts += sorted(
        path.parent.name
        for path in HERE.glob("*/__main__.py")
        if not path.parent.name.startswith("_")
    )
    unknown = sorted(set(names) - set(scripts))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(scripts)}")
        return 2
    failed = []
    for name in names or scripts:
        print(f"\n=== bench.{name} ===", flush=True)
        result = subprocess.run([sys.executable, "-m", f"bench.{name}"], cwd=HERE.parent)
        if result.returncode:
            failed.append(name)
    if failed:
        # On stderr: the last line of stdout stays the viral benchmark's JSON.
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
