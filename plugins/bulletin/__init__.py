"""The bulletin site's Pelican plugins, in rooms by concern.

``content/`` (what editors write: rules, reading, checking), ``photos/``,
``site/`` (pages and files beyond Pelican's own), ``build/`` (running a build
incrementally and atomically) and ``editor/`` (the web editor). Each module has
its own ``register()`` and is listed in ``PLUGINS`` in ``pelicanconf.py`` in
dependency order; pure rules live in modules without signals
(``content.model``, ``content.dates``, ``photos.plan``…) so they can be tested
alone. ``docs/architecture.md`` is the map.
"""

import os

# The package's folder: what fingerprints and input stamps walk, whole
# (every subpackage, the web editor's assets), wherever a module sits.
PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
