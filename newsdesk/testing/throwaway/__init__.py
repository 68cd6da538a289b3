"""A test-only app whose migrations stand for a release's (see ``newsdesk.testing``)."""
