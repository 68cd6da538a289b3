"""The project's date formats per language (``FORMAT_MODULE_PATH``), by name.

Templates name a format (``{{ when|date:"SHORT_DATE_FORMAT" }}``), never spell one, so each
language writes dates its own way: ``5 December 2026`` in English, ``5 de diciembre de 2026``
in Spanish, ``5 décembre 2026`` in French. English keeps the day-month-year order the site has
always shown. Machine formats (ISO 8601 in feeds, CSV exports and ``datetime`` attributes)
stay spelled out where they are used.
"""
