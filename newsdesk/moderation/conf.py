"""Settings of the moderation app: the operator's knobs, read at each use from the Django
settings declared in ``newsdesk/settings/discussion.py`` (so ``override_settings`` applies).

Thresholds and policy are edited by editors in the admin (``ModerationSettings``).
"""

from newsdesk.core.conf import lazy_attributes, setting
from newsdesk.core.ratelimit import RateLimit

# The longest text of a reader's report (a constant of the form and the model's use).
REPORT_TEXT_MAX = 500


def _int(name: str):
    return lambda: int(setting(name))


__getattr__ = lazy_attributes(
    __name__,
    {
        # A folder of extra term lists added to the shipped ones ("" for none).
        "EXTRA_TERMS_DIR": lambda: setting("MODERATION_EXTRA_TERMS_DIR"),
        # More than this many comments from one reader (an account, a guest's address) in the
        # window is flooding; from one network, more than the network's limit.
        "POSTING_RATE_LIMIT": _int("MODERATION_POSTING_RATE_LIMIT"),
        "POSTING_RATE_WINDOW": _int("MODERATION_POSTING_RATE_WINDOW"),
        "NETWORK_POSTING_RATE_LIMIT": _int("MODERATION_NETWORK_POSTING_RATE_LIMIT"),
        # A form sent back faster than this many seconds after it was served: evidence of a bot.
        "MIN_SECONDS_TO_SUBMIT": lambda: float(setting("MODERATION_MIN_SECONDS_TO_SUBMIT")),
        "LEARNED_MODELS_KEPT": _int("MODERATION_LEARNED_MODELS_KEPT"),
        "REPEATED_TEXT_WINDOW": _int("MODERATION_REPEATED_TEXT_WINDOW"),
        "REPEATED_TEXT_MIN_LENGTH": _int("MODERATION_REPEATED_TEXT_MIN_LENGTH"),
        "REPORTS_PER_HOUR": _int("MODERATION_REPORTS_PER_HOUR"),
        # Readers' reports per address: (requests, seconds).
        "RATE_REPORT": lambda: RateLimit(int(setting("MODERATION_REPORTS_PER_HOUR")), 3600),
        "RETRAIN_EVERY": _int("MODERATION_RETRAIN_EVERY"),
        # How many shipped examples a moderator's decision counts for in training.
        "DECISION_WEIGHT": lambda: float(setting("MODERATION_DECISION_WEIGHT")),
        "MODEL_CACHE_DIR": lambda: setting("MODERATION_MODEL_CACHE_DIR"),
        "QUEUE_PAGE_SIZE": _int("MODERATION_QUEUE_PAGE_SIZE"),
        # A newsroom's own ONNX text classifier ("" for none) and how to read it
        # (onnx_model.py): its tokenizer.json ("" for the one beside it), its output's class
        # names in order ([] for the model's metadata) and how many tokens of a comment it reads.
        "ONNX_MODEL": lambda: setting("MODERATION_ONNX_MODEL"),
        "ONNX_TOKENIZER": lambda: setting("MODERATION_ONNX_TOKENIZER"),
        "ONNX_LABELS": lambda: list(setting("MODERATION_ONNX_LABELS")),
        "ONNX_MAX_TOKENS": _int("MODERATION_ONNX_MAX_TOKENS"),
    },
)
