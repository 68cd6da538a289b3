"""Writes of the funding app: the ledger, provider events, checkouts, recurring gifts."""
