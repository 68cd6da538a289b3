"""Django's SQLite backend with writers that wait for each other in short steps (base.py)."""
