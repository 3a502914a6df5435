"""The `actiontrack` command. Subcommands are Django management commands (demo, rag, serve, and
Django's own: migrate, createsuperuser, changepassword, ...), so they share settings and logging.

Before a command that needs the database, a fresh SQLite data folder gets its tables (actiontrack.ops.firstrun).
In a terminal a command prints its own output only; its job line goes to the log (actiontrack.core.logs), and to
the terminal too with `-v` (Django's `-v 2`)."""

import os
import sys

# The demo runs as production does (DEBUG off: the same pages, the same error pages), over plain HTTP on this
# machine only, so the cookies cannot require HTTPS and nothing may redirect to it.
DEMO_DEFAULTS = {"SECURE_SSL_REDIRECT": "false", "SESSION_COOKIE_SECURE": "false", "CSRF_COOKIE_SECURE": "false"}
VERBOSITIES = {"0", "1", "2", "3"}


def with_verbosity(argv: list[str]) -> tuple[list[str], int]:
    """The arguments with a bare `-v` read as `-v 2`, and the verbosity they ask for (Django's -v/--verbosity)."""
    out, verbosity, i = [], 1, 0
    while i < len(argv):
        arg, following = argv[i], argv[i + 1] if i + 1 < len(argv) else None
        if arg == "--":
            return out + argv[i:], verbosity
        if arg in ("-v", "--verbosity") and following in VERBOSITIES:
            out += [arg, following]
            verbosity, i = int(following), i + 2
            continue
        if arg == "-v":
            arg, verbosity = "-v2", 2
        elif arg.startswith("--verbosity=") and arg.partition("=")[2] in VERBOSITIES:
            verbosity = int(arg.partition("=")[2])
        elif arg.startswith("-v") and arg[2:] in VERBOSITIES:
            verbosity = int(arg[2:])
        out.append(arg)
        i += 1
    return out, verbosity


def main(argv: list[str] | None = None) -> None:
    argv, verbosity = with_verbosity(list(sys.argv[1:] if argv is None else argv))
    command = argv[0] if argv else "help"
    if command == "demo":
        for name, value in DEMO_DEFAULTS.items():
            os.environ.setdefault(name, value)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "actiontrack.settings")
    from actiontrack.core import logs

    logs.jobs_to_terminal = verbosity >= 2
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        if not command.startswith("-"):
            _prepare_database(command)
        execute_from_command_line(["actiontrack", *argv])
        sys.stdout.flush()  # here, so that a closed pipe is caught below rather than at exit
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"actiontrack: configuration error: {exc}\n")
        raise SystemExit(2) from None
    except BrokenPipeError:
        # The reader stopped early (`actiontrack rag ... | head`): end quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(141) from None


def _prepare_database(command: str) -> None:
    import django
    from django.core.management import get_commands

    django.setup()
    if command not in get_commands():
        return  # Django says it is unknown, and suggests the nearest
    from actiontrack.ops.firstrun import NotReady, ensure_tables

    try:
        ensure_tables(command)
    except NotReady as exc:
        sys.stderr.write(f"actiontrack: {exc}\n")
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
