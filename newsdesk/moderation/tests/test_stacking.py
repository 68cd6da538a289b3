"""The meaning model and the stacker: what they read, how they are trained and scored."""

import logging

import numpy as np
import pytest

from newsdesk.moderation.embedding import DIMENSIONS, sentence_embeddings
from newsdesk.moderation.learning import TrainingExample, linear_probabilities
from newsdesk.moderation.masking import group_masked
from newsdesk.moderation.signals import combined, learned, prepare, semantic, signals_run
from newsdesk.moderation.stacking import (
    ModelBundle,
    bundle_train,
    feature_names,
    fold_assignments,
)

from .conftest import candidate

# A small world: ok talk about trains and weather, spam with a link, hate about two groups.
SMALL = [
    *(
        TrainingExample(text, "ok", group)
        for text, group in [
            ("the train to the coast was late again this morning", ""),
            ("lovely weather for the harvest festival this weekend", ""),
            ("the council voted to repair the bridge next spring", ""),
            ("our library opens on sundays from next month", ""),
            ("the match was a draw after extra time", ""),
            ("bakers on the high street say flour prices doubled", ""),
            ("pakistanis in our town run the best cricket club around", "nationality"),
            ("my pakistani neighbours invited the whole street to eid", "nationality"),
            ("refugees who arrived last year now teach at the college", "migrants"),
            ("the refugees' choir sang at the memorial service", "migrants"),
        ]
    ),
    *(
        TrainingExample(text, "spam")
        for text in [
            "lost twelve kilos with these pills, order at slim-fast.example.xyz",
            "earn money from home, message me at cashnow.example.top",
            "free streams of every match at sportzlive.example.club",
            "cheap loans approved in minutes at quickcash.example.xyz",
            "hot singles near you tonight at meetme.example.top",
            "crypto signals that never lose, join t.me/profitsignals",
        ]
    ),
    *(
        TrainingExample(text, "hate", group)
        for text, group in [
            ("pakistanis are vermin and should be driven out", "nationality"),
            ("pakistanis breed like rats in our towns", "nationality"),
            ("send every pakistani back where they crawled from", "nationality"),
            ("refugees are parasites feeding on our country", "migrants"),
            ("refugees are a plague of locusts, deport them all", "migrants"),
            ("the world would be better without refugees", "migrants"),
        ]
    ),
]


@pytest.fixture(scope="module")
def small_bundle() -> ModelBundle:
    return bundle_train(SMALL)


def test_the_embedding_model_ships_in_its_package_and_leaves_logging_alone():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    rows = sentence_embeddings(
        ["rats and vermin in the streets", "a plague of rodents", "the budget vote is today"]
    )
    # wordllama's basicConfig() at import would have added a handler to the root logger.
    assert root.handlers == handlers and root.level == level
    assert rows.shape == (3, DIMENSIONS)
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    # Alike in meaning, not in words: nearer each other than to an unrelated sentence.
    assert rows[0] @ rows[1] > rows[0] @ rows[2]
    assert sentence_embeddings([]).shape == (0, DIMENSIONS)


def test_the_embeddings_are_wordllamas_own_pooling():
    from newsdesk.moderation.embedding import _model

    texts = ["the council voted to repair the bridge", "vermin", "", "x y z"]
    pooled = _model().embed(texts, norm=False)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    expected = np.divide(pooled, norms, out=np.zeros_like(pooled), where=norms > 0)
    assert np.allclose(sentence_embeddings(texts), expected, atol=1e-5)


def test_group_names_are_masked_for_the_models():
    assert group_masked("romanians are a nation of pickpockets") == group_masked(
        "nigerians are a nation of pickpockets"
    )
    assert "people" in group_masked("send the refugees back")
    # Words that merely contain a name, or sound like one, are left alone.
    assert group_masked("a turkey for christmas") == "a turkey for christmas"
    assert group_masked("romanesque arches") == "romanesque arches"
    assert group_masked("the ferry timetable") == "the ferry timetable"


def test_a_named_group_stays_in_one_fold_and_the_rest_are_stratified():
    labels = ["ok", "hate"] * 10 + ["ok", "spam"] * 10
    groups = ["a"] * 6 + ["b"] * 6 + ["c"] * 4 + [""] * 24
    folds = fold_assignments(labels, groups, 3)
    for group in "abc":
        assert len({folds[i] for i, g in enumerate(groups) if g == group}) == 1
    assert set(folds) == {0, 1, 2}
    rest = [i for i, g in enumerate(groups) if not g]
    assert len({folds[i] for i in rest if labels[i] == "spam"}) == 3


def test_the_bundle_weighs_every_signal_and_both_models(small_bundle):
    assert small_bundle.features == feature_names(onnx=False)
    assert small_bundle.labels == ["hate", "ok", "spam"]
    assert small_bundle.example_count == len(SMALL)
    assert small_bundle.metrics["cross_validated"] is True
    rows = np.random.default_rng(0).normal(size=(4, len(small_bundle.features)))
    assert np.allclose(
        linear_probabilities(small_bundle.stacker, rows), small_bundle.stacker.predict_proba(rows)
    )
    embeddings = sentence_embeddings(["a test", "another one"])
    assert np.allclose(
        linear_probabilities(small_bundle.meaning, embeddings),
        small_bundle.meaning.predict_proba(embeddings),
    )


@pytest.mark.django_db
def test_the_combined_signal_reads_the_others_and_names_what_weighed(small_bundle):
    texts = [
        "albanians are vermin and parasites, drive them out",  # a group it never saw
        "the bridge repairs start next spring, the council says",
    ]
    prepared = [prepare(candidate(text)) for text in texts]
    rows = signals_run(prepared, bundle=small_bundle)
    by_name = [{result.signal: result for result in row} for row in rows]
    assert {"learned", "semantic", "combined"} <= set(by_name[0])
    hateful, harmless = by_name[0]["combined"], by_name[1]["combined"]
    # Twenty-two examples make a timid stacker; the order of its verdicts is what it learned.
    assert hateful.score > harmless.score + 0.2
    weighed = prepared[0].memo["combined"]
    assert weighed["hate"] == max(p for label, p in weighed.items() if label != "ok")
    assert "likeliest ok" in harmless.reason
    # The models read the masked text: the new group's name is no stranger to them.
    assert " ".join(prepared[0].model_text.split()).startswith("people are vermin")
    assert semantic.NAME in prepared[0].memo["scores"]
    assert combined.NAME not in prepared[0].memo["scores"]


def test_training_needs_two_examples_of_every_label():
    with pytest.raises(ValueError, match="two labels"):
        bundle_train([TrainingExample("hello", "ok")] * 4)
    with pytest.raises(ValueError, match="two examples of every label"):
        bundle_train([*[TrainingExample("hello", "ok")] * 4, TrainingExample("buy", "spam")])


def test_the_starter_bundle_is_trained_once_per_data_and_then_read(settings, tmp_path, monkeypatch):
    import newsdesk.moderation.stacking as stacking

    settings.MODERATION_MODEL_CACHE_DIR = str(tmp_path)
    trained = []
    monkeypatch.setattr(
        stacking, "bundle_train", lambda examples, **kw: trained.append(1) or bundle_train(SMALL)
    )
    first = learned.starter_bundle()
    second = learned.starter_bundle()
    assert trained == [1]
    assert second.features == first.features
    (cached,) = tmp_path.glob("starter-*.pickle")
    cached.write_bytes(b"not a pickle")  # a damaged file: trained again and replaced
    learned.starter_bundle()
    assert trained == [1, 1]
    assert cached.read_bytes() != b"not a pickle"


def test_a_new_starter_leaves_only_the_newest_in_the_cache(settings, tmp_path, monkeypatch):
    import os
    import time

    import newsdesk.moderation.stacking as stacking

    settings.MODERATION_MODEL_CACHE_DIR = str(tmp_path)
    monkeypatch.setattr(stacking, "bundle_train", lambda examples, **kw: bundle_train(SMALL))
    # Starters of five earlier releases, the oldest first, each with its lock file.
    old = [tmp_path / f"starter-{n:016x}-v2-sklearn1.0.pickle" for n in range(5)]
    for age, path in enumerate(reversed(old), start=1):
        path.write_bytes(b"an earlier release's model")
        path.with_suffix(".lock").touch()
        os.utime(path, (1_000_000 - age, 1_000_000 - age))
    other = tmp_path / "notes.txt"
    other.write_text("not a starter")
    # Locks without a model: a training stopped yesterday, and one under way now.
    stopped = tmp_path / "starter-00000000000000aa-v2-sklearn1.0.lock"
    training = tmp_path / "starter-00000000000000bb-v2-sklearn1.0.lock"
    stopped.touch()
    os.utime(stopped, (time.time() - 86400, time.time() - 86400))
    training.touch()

    learned.starter_bundle()

    current = learned._starter_path()
    kept = sorted(path.name for path in tmp_path.glob("starter-*.pickle"))
    assert kept == sorted([current.name, old[-1].name, old[-2].name])
    assert sorted(path.name for path in tmp_path.glob("starter-*.lock")) == sorted(
        [*(path.with_suffix(".lock").name for path in (current, old[-1], old[-2])), training.name]
    )
    assert other.exists()
    # Reading a cached starter removes nothing.
    learned.starter_bundle()
    assert len(list(tmp_path.glob("starter-*.pickle"))) == learned.STARTERS_KEPT


@pytest.mark.django_db
def test_the_demo_thread_has_hate_no_term_list_knows_held_by_the_combined_evidence():
    from io import StringIO

    from newsdesk.demo import discussion as demo_discussion
    from newsdesk.discussion.models import Comment, CommentStatus
    from newsdesk.moderation.models import Decision
    from tests.support.factories import make_article

    make_article(title="The weir is rebuilt")
    demo_discussion.load(stdout=StringIO())
    quiet = Comment.objects.get(source="demo", source_id="pseudo-science")
    assert quiet.status == CommentStatus.HELD
    assert quiet.status_reason.startswith("held: combined evidence")
    decision = Decision.objects.get(comment=quiet)
    assert decision.scores["hate"] == 0.0  # no term list knows it
    assert decision.scores["combined"] >= 0.75
    (combined_reason,) = [r for r in decision.reasons if r.startswith("Combined evidence")]
    assert "likeliest hate" in combined_reason and "most weight: learned:hate" in combined_reason


@pytest.mark.django_db
def test_a_word_or_two_are_left_to_the_other_signals(small_bundle):
    short, longer = (prepare(candidate(text)) for text in ("All twelve?", "All twelve of them?"))
    rows = signals_run([short, longer], bundle=small_bundle)
    by_name = [{result.signal: result for result in row} for row in rows]
    assert by_name[0]["combined"].score == 0.0
    assert by_name[0]["combined"].reason == "too short for the models to judge"
    assert by_name[1]["combined"].reason != "too short for the models to judge"


def test_an_examples_weight_counts_in_every_fit():
    """The same comment, labelled hate against everything the small world says, moves the
    models further when it counts more (a moderator's decision: ``weight``)."""
    from dataclasses import replace

    from newsdesk.moderation.embedding import sentence_embeddings
    from newsdesk.moderation.learning import fast_probabilities, linear_probabilities

    text = "the council voted to repair the library roof next spring"
    decided = TrainingExample(text, "hate")
    light = bundle_train([*SMALL, decided], measure=False)
    heavy = bundle_train([*SMALL, replace(decided, weight=6.0)], measure=False)

    def hate(bundle, model) -> float:
        classes = list(bundle.labels)
        if model == "words":
            row = fast_probabilities(bundle.words, [text])[0]
            classes = list(bundle.words.classes_)
        else:
            row = linear_probabilities(bundle.meaning, sentence_embeddings([text]))[0]
            classes = list(bundle.meaning.classes_)
        return float(row[classes.index("hate")])

    assert hate(heavy, "words") > hate(light, "words") + 0.1
    assert hate(heavy, "meaning") > hate(light, "meaning") + 0.1
