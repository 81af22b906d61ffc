"""Official documents (văn bản): a register of numbered documents and their files.

``model`` (pure: keys, the Number format, the known types, checks),
``files`` (the files on disk: inside ``content/``, opening, text, cached by
SHA-256), ``generator`` (reads ``content/van-ban/``, links documents and
articles), ``pages`` (the register, facets, document pages, feed, API) and
``links`` (a Markdown extension: a plain link to a local PDF publishes it),
``keys`` (what pages show of a document: its part of the render keys),
``index`` (each document page's files' text, for the search index).
"""
