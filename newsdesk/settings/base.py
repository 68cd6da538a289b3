"""Settings shared by every tier, composed of one module per concern.

Everything that differs between a laptop and a newsroom comes from environment variables,
read only through ``env.py``; with none set, the laptop tier runs: SQLite in ``var/``, a
cache on disk (diskcache), tasks queued in the database and run by ``manage.py worker``.
Importing the settings has no side effects (paths.py says where folders and the laptop's key
are made). The README's "Environment variables" and "Settings of each app" tables list every
variable; ``tests/site/test_environment_table.py`` keeps them and this package in step.
"""

# One module per concern; the names they define do not overlap, so the order is free.
from .accounts import *  # noqa: F403
from .apps import *  # noqa: F403
from .cache import *  # noqa: F403
from .database import *  # noqa: F403
from .discussion import *  # noqa: F403
from .funding import *  # noqa: F403
from .i18n import *  # noqa: F403
from .mail import *  # noqa: F403
from .maintenance import *  # noqa: F403
from .middleware import *  # noqa: F403
from .newsletters import *  # noqa: F403
from .newsletters_issues import *  # noqa: F403
from .newsletters_signup import *  # noqa: F403
from .observability import *  # noqa: F403
from .pagecache import *  # noqa: F403
from .paths import *  # noqa: F403
from .project import *  # noqa: F403
from .security import *  # noqa: F403
from .serve import *  # noqa: F403
from .syndication import *  # noqa: F403
from .tasks import *  # noqa: F403
from .wagtail import *  # noqa: F403
