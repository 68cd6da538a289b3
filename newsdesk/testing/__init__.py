"""Code for the tests only, never installed by the site's settings.

``throwaway`` is an app with two releases of its migrations (``migrations_v1``, and
``migrations_v2`` with one more), and ``settings_v1``/``settings_v2`` install it under either:
the upgrade tests migrate a real database from one release to the next and roll it back
(newsdesk/core/tests/test_upgrade.py).
"""
