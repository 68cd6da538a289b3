"""Live threads: a reader on an article sees new published comments (and replies to their
own) announced without reloading, for the cost of one shared, cached answer per thread.

- ``state``: the thread's live document (how many comments are published, and the latest
  ones with their parent and author, bounded), built once per change and kept in the
  project's cache; ``live_outdate``, which ``changes.article_discussion_changed`` calls (the
  same path that outdates the page cache), so a change is seen at the next poll.
- ``views``: ``GET /discussion/articles/<id>/live`` (the document, with an ``ETag``: a
  revalidation that matches is a 304 without a database query) and
  ``GET /discussion/articles/<id>/live/comments?ids=...`` (published comments as the thread
  renders them, for the page's "show them").

Both answers are the same for every reader (``Cache-Control: public``), so a browser, nginx or
a CDN may keep them a few seconds; what is personal (which new comments reply to the
reader's own) the page's script works out from the parent ids and the comments it knows as
the reader's.
"""
