"""`python -m sim.outputs`: write docs/outputs.md (or --check that it is current)."""

import sys

from sim.outputs.page import main

sys.exit(main())
