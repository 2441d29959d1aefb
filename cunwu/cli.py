"""The `cunwu` console script: Django's manage.py."""

from __future__ import annotations

import os
import sys


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cunwu.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
    return 0
