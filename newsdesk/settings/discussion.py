"""Settings of the discussion and moderation apps, read through their ``conf.py`` at use."""

from .env import env_float, env_int, env_list, env_str
from .paths import DATA_DIR

# --- discussion ---------------------------------------------------------------------------
# Replies are nested up to this depth (top-level comments are depth 1); deeper replies are
# shown flattened under their ancestor at this depth, with "in reply to NAME".
DISCUSSION_NEST_DEPTH = env_int("DISCUSSION_NEST_DEPTH", 5)
# Top-level comments per page; "load more" fetches the next page.
DISCUSSION_PAGE_SIZE = env_int("DISCUSSION_PAGE_SIZE", 20)
# How long, in minutes, an author may edit a comment after posting it.
DISCUSSION_EDIT_WINDOW_MINUTES = env_int("DISCUSSION_EDIT_WINDOW_MINUTES", 15)
# Threads close to new comments this many days after the article's publication (0: never).
DISCUSSION_AUTO_CLOSE_DAYS = env_int("DISCUSSION_AUTO_CLOSE_DAYS", 0)
# The longest comment, in characters of the Markdown a reader writes.
DISCUSSION_BODY_MAX_CHARS = env_int("DISCUSSION_BODY_MAX_CHARS", 10_000)
# Pictures in comments.
DISCUSSION_IMAGE_MAX_BYTES = env_int("DISCUSSION_IMAGE_MAX_BYTES", 5 * 1024 * 1024)
# The page's script posts a comment and its picture to the JSON API, which reads the whole
# body before parsing it: room for the largest picture, the text and the multipart framing.
# (Django's own limit counts only a form's fields, so the no-script form needs no more.)
DATA_UPLOAD_MAX_MEMORY_SIZE = DISCUSSION_IMAGE_MAX_BYTES + 256 * 1024
DISCUSSION_IMAGE_MAX_PIXELS = env_int("DISCUSSION_IMAGE_MAX_PIXELS", 24_000_000)
DISCUSSION_IMAGE_MAX_SIDE = env_int("DISCUSSION_IMAGE_MAX_SIDE", 1600)
DISCUSSION_THUMBNAIL_SIDE = env_int("DISCUSSION_THUMBNAIL_SIDE", 480)
# Writes per client address and per account, per window.
DISCUSSION_POSTS_PER_IP = env_int("DISCUSSION_POSTS_PER_IP", 10)
DISCUSSION_POSTS_PER_USER = env_int("DISCUSSION_POSTS_PER_USER", 10)
DISCUSSION_POSTS_WINDOW_SECONDS = env_int("DISCUSSION_POSTS_WINDOW_SECONDS", 300)
DISCUSSION_EDITS_PER_IP = env_int("DISCUSSION_EDITS_PER_IP", 30)
DISCUSSION_VOTES_PER_IP = env_int("DISCUSSION_VOTES_PER_IP", 120)
DISCUSSION_VOTES_PER_USER = env_int("DISCUSSION_VOTES_PER_USER", 120)
# Live threads: an article's page asks this often, in seconds, whether comments were
# published since it was drawn, and offers to show them (0: off); it stops asking after
# DISCUSSION_LIVE_IDLE_HOURS without the reader's touch.
DISCUSSION_LIVE_POLL_SECONDS = env_int("DISCUSSION_LIVE_POLL_SECONDS", 15)
DISCUSSION_LIVE_IDLE_HOURS = env_float("DISCUSSION_LIVE_IDLE_HOURS", 2.0)
# The demo only: a demo reader comments on the lead story this often, in minutes, while the
# demo runs (the Makefile's `make demo` sets 1), so the live bar can be seen. 0: never.
DEMO_LIVE_COMMENT_MINUTES = env_int("DEMO_LIVE_COMMENT_MINUTES", 0)
# Double opt-in for discussion e-mails: the confirmation link works this many days, and an
# address that has not confirmed gets no second confirmation e-mail before then.
DISCUSSION_EMAIL_CONFIRM_DAYS = env_int("DISCUSSION_EMAIL_CONFIRM_DAYS", 7)
# Confirmation e-mails one client address may cause, per hour (beyond: none is sent; the
# comment is posted all the same), so nobody fills a stranger's inbox by listing addresses.
DISCUSSION_EMAIL_CONFIRMS_PER_IP = env_int("DISCUSSION_EMAIL_CONFIRMS_PER_IP", 5)
# Commenters' exact IP addresses (and browsers' user agents) are kept this many days, then
# cut to their network by the worker's retention duty, this many comments per transaction.
PRIVACY_IP_RETENTION_DAYS = env_int("PRIVACY_IP_RETENTION_DAYS", 30)
PRIVACY_IP_BATCH_SIZE = env_int("PRIVACY_IP_BATCH_SIZE", 1000)

# --- moderation (thresholds and policy are edited in the admin: ModerationSettings) -------
# A folder of extra term lists (same file names as moderation/data/) added to the shipped
# ones, for a site's own words and domains.
MODERATION_EXTRA_TERMS_DIR = env_str("MODERATION_EXTRA_TERMS_DIR")
# More than this many comments from one address or account in the window is flooding.
MODERATION_POSTING_RATE_LIMIT = env_int("MODERATION_POSTING_RATE_LIMIT", 5)
MODERATION_POSTING_RATE_WINDOW = env_int("MODERATION_POSTING_RATE_WINDOW", 600)
# The same window's limit for one network (IPv4 /24, IPv6 /64): a household, an office or a
# university shares one, so it is higher than one reader's.
MODERATION_NETWORK_POSTING_RATE_LIMIT = env_int("MODERATION_NETWORK_POSTING_RATE_LIMIT", 20)
# A form sent back faster than this many seconds after it was served is evidence of a bot
# (weighed with the rest; never enough alone to hold a signed-in reader in good standing).
MODERATION_MIN_SECONDS_TO_SUBMIT = env_float("MODERATION_MIN_SECONDS_TO_SUBMIT", 3.0)
# How many versions of the learned model to keep (the newest one is used).
MODERATION_LEARNED_MODELS_KEPT = env_int("MODERATION_LEARNED_MODELS_KEPT", 5)
# The same body (at least this many characters) posted again within the window is spam.
MODERATION_REPEATED_TEXT_WINDOW = env_int("MODERATION_REPEATED_TEXT_WINDOW", 24 * 3600)
MODERATION_REPEATED_TEXT_MIN_LENGTH = env_int("MODERATION_REPEATED_TEXT_MIN_LENGTH", 25)
# Readers' reports per address and hour.
MODERATION_REPORTS_PER_HOUR = env_int("MODERATION_REPORTS_PER_HOUR", 20)
# The learned model is retrained by the worker at most this often (seconds).
MODERATION_RETRAIN_EVERY = env_int("MODERATION_RETRAIN_EVERY", 24 * 3600)
# How many shipped examples a moderator's decision counts for in training: they are this
# site's own comments (``docs/moderation.md`` has the measure).
MODERATION_DECISION_WEIGHT = env_float("MODERATION_DECISION_WEIGHT", 4.0)
# Where a process keeps the starter models it trained from the shipped labelled set (keyed
# by the data's digest), so the next process loads it instead of training it again.
MODERATION_MODEL_CACHE_DIR = env_str("MODERATION_MODEL_CACHE_DIR", str(DATA_DIR / "models"))
# Rows per page of the queue and the audit log in the admin.
MODERATION_QUEUE_PAGE_SIZE = env_int("MODERATION_QUEUE_PAGE_SIZE", 50)
# A newsroom's own ONNX text classifier, scored as the "onnx" signal: the path of a local
# .onnx file ("" = off; nothing is ever downloaded), its Hugging Face tokenizer.json ("" = the
# tokenizer.json beside the model), its output's class names in order (comma-separated;
# none = the model's metadata property "labels") and the tokens of a comment it reads.
MODERATION_ONNX_MODEL = env_str("MODERATION_ONNX_MODEL")
MODERATION_ONNX_TOKENIZER = env_str("MODERATION_ONNX_TOKENIZER")
MODERATION_ONNX_LABELS = env_list("MODERATION_ONNX_LABELS")
MODERATION_ONNX_MAX_TOKENS = env_int("MODERATION_ONNX_MAX_TOKENS", 256)
