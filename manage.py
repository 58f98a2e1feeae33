#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    from config.var import ensure_var_dirs

    ensure_var_dirs()  # the embedded SQLite file and broker folders live under var/
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
