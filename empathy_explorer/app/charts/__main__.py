"""``python -m empathy_explorer.app.charts bundle``: build the offline chart JavaScript once."""

import sys

from empathy_explorer.app.charts import _main

sys.exit(_main())
