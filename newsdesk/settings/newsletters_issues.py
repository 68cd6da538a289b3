"""Settings of the newsletters' issues (what every issue's mail says), read at use by
``newsletters/rendering.py``."""

from .env import env_str

# The newsroom's postal address in every issue's footer (anti-spam laws ask for one); a
# literal "\n" starts a new line. Empty: the footer names the newsroom only.
NEWSLETTER_POSTAL_ADDRESS = env_str("NEWSLETTER_POSTAL_ADDRESS")
