"""The text the learned models read: names of peoples and groups replaced by "people".

A model trained on comments about some groups must recognise hate about a group it has
never seen written about: "Romanians are a nation of pickpockets" and "Nigerians are a
nation of pickpockets" are the same statement. With the group's name masked (the list
``data/group_names.txt``), the words model learns what is said of a group rather than which
group it is said of, and the meaning model's embedding is not pulled towards the group's
topic. The term-list signals still read the names: they need them.
"""

from newsdesk.moderation import terms

LIST = "group_names.txt"
MASK = " people "


def group_masked(text: str) -> str:
    """``text`` (folded, lower case) with every listed group name replaced by ``MASK``."""
    return terms.alternation(LIST).sub(MASK, text)
