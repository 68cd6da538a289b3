"""Figures read at scrape time (see the package's docstring): the readers ``METRICS_FIGURES``
names, the task queue's backlog and the e-mail counters, computed at most once per
``METRICS_CACHE_SECONDS`` and kept in the shared cache meanwhile.

A reader is a function of no arguments returning a list of ``Sample``. A reader that fails
(the database away) costs only its own figures: ``newsdesk_metrics_reader_up`` says which
answered, and the request figures are served regardless.
"""

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.module_loading import import_string
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from newsdesk.core.conf import setting
from newsdesk.core.health import task_queue_state
from newsdesk.core.metrics.emails import emails_counted

logger = logging.getLogger(__name__)

CACHE_KEY = "newsdesk:metrics:figures"


@dataclass(frozen=True)
class Sample:
    """One value of one series: ``kind`` is ``counter`` (only ever grows; the name is given
    without ``_total``, which the exposition adds) or ``gauge``."""

    name: str
    kind: str
    help: str
    labels: tuple[tuple[str, str], ...]
    value: float


def task_queue_samples() -> list[Sample]:
    """The queue's depth and the age of its oldest due task (``health.task_queue_state``)."""
    state = task_queue_state()
    labels = (("backend", state.backend),)
    return [
        Sample(
            "newsdesk_task_queue_depth",
            "gauge",
            "Tasks waiting in the queue (due now or scheduled for later).",
            labels,
            float(state.waiting),
        ),
        Sample(
            "newsdesk_task_queue_oldest_age_seconds",
            "gauge",
            "Seconds since the oldest task waiting in the queue fell due (0: none waits).",
            labels,
            state.oldest_seconds,
        ),
    ]


def email_samples() -> list[Sample]:
    """E-mails sent and failed by kind (``emails.py``)."""
    return [
        Sample(
            "newsdesk_emails",
            "counter",
            "E-mails sent, and e-mail sends that failed, by kind.",
            (("kind", kind), ("outcome", outcome)),
            float(number),
        )
        for (kind, outcome), number in sorted(emails_counted().items())
    ]


def _readers() -> list[tuple[str, Callable[[], list[Sample]]]]:
    readers: list[tuple[str, Callable[[], list[Sample]]]] = [
        ("task_queue", task_queue_samples),
        ("emails", email_samples),
    ]
    for path in setting("METRICS_FIGURES"):
        readers.append((path.rsplit(".", 1)[-1], import_string(path)))
    return readers


def figures_read() -> list[Sample]:
    """Every reader's samples now (no cache), and one ``newsdesk_metrics_reader_up`` per
    reader saying whether it answered."""
    samples: list[Sample] = []
    for name, reader in _readers():
        try:
            samples.extend(reader())
            up = 1.0
        except Exception:
            logger.warning("Metrics reader %s failed", name, exc_info=True)
            up = 0.0
        samples.append(
            Sample(
                "newsdesk_metrics_reader_up",
                "gauge",
                "Whether a reader of figures answered at its last run (1) or failed (0).",
                (("reader", name),),
                up,
            )
        )
    return samples


def figures_cached() -> list[Sample]:
    """``figures_read()``, at most once per ``METRICS_CACHE_SECONDS`` across the install
    (two scrapes in the same instant may both read: harmless, the next ones will not)."""
    seconds = float(setting("METRICS_CACHE_SECONDS"))
    try:
        cached = cache.get(CACHE_KEY)
    except Exception:
        cached = None
    if cached is not None:
        return cached
    samples = figures_read()
    if seconds > 0:
        try:
            cache.set(CACHE_KEY, samples, timeout=seconds)
        except Exception:
            logger.warning("Could not keep the metrics figures in the cache", exc_info=True)
    return samples


def families(samples: Iterable[Sample]) -> Iterator[Metric]:
    """The samples as Prometheus metric families, one per name, in first-seen order."""
    by_name: dict[str, CounterMetricFamily | GaugeMetricFamily] = {}
    for sample in samples:
        family = by_name.get(sample.name)
        label_names = [name for name, _ in sample.labels]
        if family is None:
            if sample.kind == "counter":
                family = CounterMetricFamily(sample.name, sample.help, labels=label_names)
            else:
                family = GaugeMetricFamily(sample.name, sample.help, labels=label_names)
            by_name[sample.name] = family
        family.add_metric([value for _, value in sample.labels], sample.value)
    yield from by_name.values()


class FiguresCollector:
    """A prometheus_client collector of ``figures_cached()``."""

    def collect(self) -> Iterator[Metric]:
        return families(figures_cached())
