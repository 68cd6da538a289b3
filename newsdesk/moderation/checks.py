"""System checks of the moderation app: every term list compiles under RE2.

A list entry RE2 cannot run (a lookaround, a back-reference: in a site's own lists in
``MODERATION_EXTRA_TERMS_DIR`` too) would otherwise fail the first comment that reaches it;
``manage.py serve``, ``migrate`` and ``check`` refuse to start instead, naming the list.
"""

from django.core import checks


@checks.register("moderation")
def term_lists_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """An error for each term list that does not load (``terms.lists_load``)."""
    from newsdesk.moderation import linear, terms

    try:
        terms.lists_load()
    except linear.PatternError as error:
        return [
            checks.Error(
                str(error),
                hint="Term lists are run by RE2: no back-reference, and no lookaround but a "
                "closing (?!...) on a whole weighted entry.",
                id="moderation.E001",
            )
        ]
    return []
