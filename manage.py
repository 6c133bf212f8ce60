#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    from django.core.management import execute_from_command_line

    from intake.management.production import check_command_line

    # On a production machine whose environment is not loaded, nothing runs on a stray SQLite.
    if refused := check_command_line(sys.argv):
        sys.exit(refused)
    execute_from_command_line(sys.argv)
