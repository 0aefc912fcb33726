#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    # A command needs no DJANGO_SECRET_KEY unless it signs something (portal/settings.py). The
    # web server's entry points (portal/wsgi.py, asgi.py) clear this: they still need the key.
    os.environ.setdefault("PORTAL_MANAGEMENT_COMMAND", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
