#!/usr/bin/env python
"""Django's command-line utility for cunwu."""

import sys

from cunwu.cli import main

if __name__ == "__main__":
    sys.exit(main())
