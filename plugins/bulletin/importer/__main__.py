"""``python -m bulletin.importer SOURCE… [options]``: see :mod:`bulletin.importer.cli`."""

import sys

from bulletin.importer.cli import main

sys.exit(main())
