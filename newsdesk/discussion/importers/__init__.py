"""Readers of other systems' comment exports (Disqus XML, WordPress WXR).

Each parser turns a file into plain ``ImportedThread`` and ``ImportedComment`` records and
writes nothing; ``services.imports.comments_import`` stores them. A file that is not
well-formed XML is refused whole, before anything is written.
"""
