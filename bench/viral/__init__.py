"""The viral-story benchmark (issue 8): Newsdesk beside nginx and Isso on one machine.

    .venv/bin/python -m bench.viral          (what ``make bench`` runs last)
    BENCH_QUICK=1 .venv/bin/python -m bench.viral    (a short smoke run)

``run.py`` orchestrates; ``data.py`` builds or reuses the data under ``var/bench/``;
``servers.py`` starts and stops Newsdesk, Isso and nginx; ``load.py`` drives them (wrk, and a
Python driver for posting and the spike); ``report.py`` prints the table and the JSON.
"""
