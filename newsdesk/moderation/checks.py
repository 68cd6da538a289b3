"""System checks of the moderation app: every term list compiles under RE2, and a
configured ONNX model loads.

A list entry RE2 cannot run (a lookaround, a back-reference: in a site's own lists in
``MODERATION_EXTRA_TERMS_DIR`` too) would otherwise fail the first comment that reaches it;
``manage.py serve``, ``migrate`` and ``check`` refuse to start instead, naming the list. The
same goes for ``MODERATION_ONNX_MODEL``: a missing file, a file that is not a model, a model
of another shape, labels that do not match its output or a missing or broken tokenizer stop
the start (``moderation.E002``-``E006``; a broken held-out file beside a fine-tuned model,
``E008``), naming the problem, and so does a
``MODERATION_DECISION_WEIGHT`` that is not above 0 (``moderation.E007``).
"""

from django.core import checks


@checks.register("moderation")
def term_lists_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """An error for each term list that does not load (``terms.lists_load``)."""
    from newsdesk.moderation import linear, terms

    try:
        terms.lists_load()
    except linear.PatternError as error:
        return [
            checks.Error(
                str(error),
                hint="Term lists are run by RE2: no back-reference, and no lookaround but a "
                "closing (?!...) on a whole weighted entry.",
                id="moderation.E001",
            )
        ]
    return []


@checks.register("moderation")
def onnx_model_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """An error when ``MODERATION_ONNX_MODEL`` names a model that cannot be used.

    The model is loaded once here and kept by the process (``onnx_model.classifier_current``),
    so the check costs one load, not two.
    """
    from newsdesk.moderation import onnx_model

    try:
        onnx_model.classifier_current()
    except onnx_model.OnnxModelError as error:
        return [checks.Error(str(error), hint=error.hint or None, id=error.check_id)]
    return []


@checks.register("moderation")
def decision_weight_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """``MODERATION_DECISION_WEIGHT`` must be a positive number: a decision that counts for
    nothing, or against its own label, would make retraining fail or learn backwards."""
    from newsdesk.moderation import conf

    weight = conf.DECISION_WEIGHT
    if weight > 0:
        return []
    return [
        checks.Error(
            f"MODERATION_DECISION_WEIGHT must be above 0, not {weight}.",
            hint="1 counts a moderator's decision as one shipped example; the default is 4.",
            id="moderation.E007",
        )
    ]
