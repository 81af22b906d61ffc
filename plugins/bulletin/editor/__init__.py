"""The web editor (``/admin/``: Decap CMS configured from the content model),
its local server with the check endpoint, the vendored bundle, and
``invoke new``."""
