"""Helpers for the test suite: factories, real servers, a real browser."""
