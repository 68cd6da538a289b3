"""Where one request's time goes: cProfile of a cache-miss article page and a comment post.

    .venv/bin/python -m bench.viral.profile [N]     (BENCH_QUICK=1 for the quick data)

Runs in-process through Django's full middleware stack (the test client, CSRF enforced) on a
copy of the benchmark's site with the 1,000-comment article, after one warm-up request of
each kind; profiles N (default 5) of each and prints the top functions by cumulative and by
own time.
"""

import cProfile
import io
import json
import os
import pstats
import shutil
import sys

from bench.viral import data
from bench.viral.config import ROOT, config_from_env
from bench.viral.servers import BENCH_LIMITS

SITE_PACKAGES = next(p for p in sys.path if p.endswith("site-packages")) + "/"


def _setup():
    cfg = config_from_env()
    state = data.data_ensure(cfg, say=print)
    site = cfg.dir / "run" / "profile-site"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(cfg.data_dir / "site", site)
    data.sqlite_copy(cfg.data_dir / "site.sqlite3", site / "db.sqlite3")
    os.environ.update(data.site_env(site, **BENCH_LIMITS))
    import django

    django.setup()
    return state


def _print(profile: cProfile.Profile, title: str, lines: int = 25) -> None:
    """The project's own functions by cumulative time, then every function by own time."""
    for order, restriction in (("cumulative", ("newsdesk/", lines)), ("tottime", (lines,))):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(order).print_stats(*restriction)
        text = out.getvalue().replace(str(ROOT) + "/", "").replace(str(SITE_PACKAGES), "")
        print(f"\n===== {title}: by {order} =====")
        print(text[text.find("ncalls") :])


def main(count: int) -> None:
    state = _setup()
    from django.test import Client

    reader = Client(enforce_csrf_checks=True)  # anonymous, no cookie: the page cache's case
    poster = Client(enforce_csrf_checks=True)
    path = state["threads"]["1k"]["path"]
    article_id = state["threads"]["1k"]["article_id"]
    poster.get("/donate/")
    token = poster.cookies["csrftoken"].value

    def miss(n: int) -> None:
        response = reader.get(f"{path}?profile={n}")
        # A query the page does not read: rendered, never stored (pagecache/query.py).
        assert response.status_code == 200 and response["X-Page-Cache"] == "bypass"

    def post(n: int) -> None:
        body = {"body": f"The auditors' draft disagrees, point {n}, see the annex.", "name": "P"}
        response = poster.post(
            f"/api/threads/{article_id}/comments", json.dumps(body),
            content_type="application/json", headers={"X-CSRFToken": token},
        )  # fmt: skip
        assert response.status_code == 201, response.content

    for name, action in (("miss", miss), ("post", post)):
        action(-1)
        profile = cProfile.Profile()
        profile.enable()
        for n in range(count):
            action(n)
        profile.disable()
        _print(profile, f"{name} x{count}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
