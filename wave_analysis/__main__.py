"""``python -m wave_analysis`` runs the command-line interface."""

import sys

from wave_analysis.cli import main

sys.exit(main())
