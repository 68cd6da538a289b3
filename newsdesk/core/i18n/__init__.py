"""Translation tooling: the catalogues' compilation and the checks ``make lint`` runs.

- ``catalogues``: every app's ``locale/<lang>/LC_MESSAGES/django.po``, compiled to ``.mo``
  with Babel (pure Python: no GNU gettext needed to build or run the site), and what is
  wrong with one (an untranslated or fuzzy entry, a placeholder the translation lost).
- ``scan_templates`` and ``scan_python``: interface text a template or module adds without
  marking it for translation.

``manage.py i18n_check`` runs all three over the project (``make lint``);
``manage.py i18n_messages`` refreshes the catalogues from the code (Django's makemessages).
"""
