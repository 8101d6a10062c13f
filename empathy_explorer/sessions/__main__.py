"""``python -m empathy_explorer.sessions build|check``: rebuild or check ``data/``."""

import sys

from empathy_explorer.sessions.catalogue import main

sys.exit(main())
