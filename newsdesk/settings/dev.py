"""The laptop tier: base settings; DEBUG stays off unless the environment turns it on."""

from .base import *  # noqa: F403
