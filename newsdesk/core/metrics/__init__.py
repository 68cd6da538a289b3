"""Prometheus metrics at ``/metrics``: what each figure is made of, and why so.

Two kinds of figures, each kept where it is true for the whole install:

- **Requests** (count by method, route and status class; latency histogram) happen in the
  web processes and nowhere else is a record of them: each gunicorn worker counts its own in
  prometheus_client's multiprocess mode (``requests.py``), files in a folder per gunicorn
  master that the master empties at its start and sums at every scrape, whichever worker
  answers it. A worker that exits keeps its counts (``mark_process_dead`` only drops its
  live gauges), so the totals never go back while the master runs.
- **Business figures** (comment verdicts and moderators' decisions, gifts, monthly gifts,
  the task queue's depth and age) are read from the database at scrape time
  (``figures.py``) rather than counted as they happen: the rows are already the record, the
  worker and every web process and host change them, a restart loses nothing, and a figure
  can never drift from what the admin shows. The few aggregate queries run at most once per
  ``METRICS_CACHE_SECONDS`` (15 s) whoever scrapes, their result kept in the shared cache,
  so a scraper (or several) cannot load the database. The readers are the project's
  (``METRICS_FIGURES`` names them, in ``newsdesk/observability.py``), so ``core`` reads no
  app's models.
- **E-mails** sent and failed leave no row of their own (a receipt is not recorded as sent),
  so they are counted as the e-mail tasks finish (``emails.py``): counters in the shared cache,
  where the worker and every web process add to the same number.

Access (``access.py``): loopback and ``METRICS_ALLOWED_NETWORKS``, or a bearer
``METRICS_TOKEN``; anyone else gets a 404, as if there were nothing there.
"""
