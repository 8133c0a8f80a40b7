"""Shared set-up of the bench scripts: their options, a throw-away PostgreSQL database, migrated."""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bench_args(full: dict[str, int], short: dict[str, int], what: str) -> argparse.Namespace:
    """Whole-number options with their full-run defaults, and `--short` for the smaller form (`what` says it).

    Each option is `--name N`; `--workers` is the number of gunicorn processes where a bench has one.
    """
    parser = argparse.ArgumentParser()
    for name, default in full.items():
        parser.add_argument(f"--{name}", type=int, default=default)
    parser.add_argument("--short", action="store_true", help=what)
    args = parser.parse_args()
    if args.short:
        for name, value in short.items():
            setattr(args, name, value)
    return args


def bench_database(name: str) -> None:
    """Point Django at a fresh database `name` on the local server (or BENCH_DATABASE_URL) and migrate it."""
    import psycopg

    url = os.environ.get("BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{name}")
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govit.settings.test")
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def stop_servers(*procs) -> None:
    """End the bench's servers: SIGTERM, then a kill for any still running after 20 s."""
    import signal
    import subprocess

    for proc in procs:
        proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
