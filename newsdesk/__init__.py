"""Newsdesk: a self-hosted platform for an independent, reader-funded news site."""
