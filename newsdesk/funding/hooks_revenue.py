"""Wagtail hooks of this part (placeholder): imported by ``funding/wagtail_hooks.py``."""
