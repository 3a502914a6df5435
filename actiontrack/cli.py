"""The `actiontrack` command. Subcommands are Django management commands (demo, rag, serve, and
Django's own: migrate, createsuperuser, changepassword, ...), so they share settings and logging."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["demo"]:
        # The demo is a local trial: debug mode, with a secret key generated into the data folder.
        os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "actiontrack.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["actiontrack", *argv])
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"actiontrack: configuration error: {exc}\n")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
