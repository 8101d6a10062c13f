"""``python -m empathy_explorer.app.charts bundle``: build the offline chart JavaScript once."""

import sys

from empathy_explorer.app.charts.bundle import main

sys.exit(main())
