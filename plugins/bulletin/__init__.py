"""The bulletin site's Pelican plugins, one module per concern.

Each module has its own ``register()`` and is listed in ``PLUGINS`` in
``pelicanconf.py`` in dependency order; pure functions live in modules without
signals (``vietnamese``, ``content_model``) so they can be tested alone.
"""

import os

# The package's folder: what fingerprints and input stamps walk, whole
# (every subpackage, the web editor's assets), wherever a module sits.
PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
