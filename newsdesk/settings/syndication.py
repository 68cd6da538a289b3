"""Settings of the syndication app (partner feeds), read through ``syndication/conf.py`` at use."""

from .env import env_float, env_int, env_list, env_str

SYNDICATION_CONNECT_TIMEOUT = env_float("SYNDICATION_CONNECT_TIMEOUT", 5.0)
# The whole exchange must finish within this: a server trickling a byte at a time cannot hold
# the worker.
SYNDICATION_TOTAL_TIMEOUT = env_float("SYNDICATION_TOTAL_TIMEOUT", 30.0)
SYNDICATION_FEED_MAX_BYTES = env_int("SYNDICATION_FEED_MAX_BYTES", 10 * 1024 * 1024)
SYNDICATION_MAX_REDIRECTS = env_int("SYNDICATION_MAX_REDIRECTS", 5)
SYNDICATION_USER_AGENT = env_str("SYNDICATION_USER_AGENT", "Newsdesk feed reader (+syndication)")
SYNDICATION_IMAGE_TOTAL_TIMEOUT = env_float("SYNDICATION_IMAGE_TOTAL_TIMEOUT", 20.0)
SYNDICATION_IMAGE_MAX_BYTES = env_int("SYNDICATION_IMAGE_MAX_BYTES", 8 * 1024 * 1024)
# Larger pictures are refused: decoding them would cost the worker too much memory.
SYNDICATION_IMAGE_MAX_PIXELS = env_int("SYNDICATION_IMAGE_MAX_PIXELS", 40_000_000)
# At most this many pictures of one story are downloaded; the rest stay references.
SYNDICATION_IMAGES_PER_ENTRY = env_int("SYNDICATION_IMAGES_PER_ENTRY", 10)
# At most this many entries of one feed are read per poll (newest first in the feed).
SYNDICATION_ENTRIES_PER_POLL = env_int("SYNDICATION_ENTRIES_PER_POLL", 200)
# Hosts whose <iframe> embeds a partner story may keep (video players).
SYNDICATION_EMBED_HOSTS = env_list(
    "SYNDICATION_EMBED_HOSTS",
    "www.youtube.com,youtube.com,www.youtube-nocookie.com,player.vimeo.com",
)
# The longest wait after repeated failures (the wait doubles with each failure).
SYNDICATION_BACKOFF_MAX_MINUTES = env_int("SYNDICATION_BACKOFF_MAX_MINUTES", 24 * 60)
# A poll still marked as running after this long is taken to have died.
SYNDICATION_POLL_STALE_MINUTES = env_int("SYNDICATION_POLL_STALE_MINUTES", 15)
# With no source at all, the poll task still looks again this often.
SYNDICATION_IDLE_RECHECK_MINUTES = env_int("SYNDICATION_IDLE_RECHECK_MINUTES", 60)
# How often one editor may ask for an immediate poll.
SYNDICATION_POLL_NOW_PER_USER = env_int("SYNDICATION_POLL_NOW_PER_USER", 10)
SYNDICATION_POLL_NOW_WINDOW = env_int("SYNDICATION_POLL_NOW_WINDOW", 60)
