#!/usr/bin/env python
"""`make restore [FROM=var/backups/<date>]`: replace the database and the media/private files
with a backup (the latest under BACKUP_DIR by default), after confirmation (or --yes), then
check every table's row count against the backup's manifest. See config/backups.py."""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", nargs="?", help="a backup folder (default: the latest)")
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    args = parser.parse_args()

    import django  # noqa: PLC0415 -- after the settings module is chosen

    django.setup()
    from django.conf import settings  # noqa: PLC0415 -- needs Django set up

    from config import backups  # noqa: PLC0415 -- needs Django set up

    if args.folder:
        folder = Path(args.folder)
    else:
        found = backups.folders()
        if not found:
            print(f"no backup under {backups.backup_root()}", file=sys.stderr)
            return 1
        folder = found[-1]
    print(
        f"Restoring {folder} replaces {backups.database_description()}, "
        f"{settings.MEDIA_ROOT} and {settings.PRIVATE_MEDIA_ROOT}."
    )
    if not args.yes and input("Type 'yes' to go on: ").strip() != "yes":
        print("nothing restored", file=sys.stderr)
        return 1
    try:
        differences = backups.restore(folder)
    except backups.BackupError as exc:
        print(f"restore failed: {exc}", file=sys.stderr)
        return 1
    if differences:
        for table, (expected, found_rows) in differences.items():
            print(f"  {table}: {expected} rows in the backup, {found_rows} now", file=sys.stderr)
        print("restore incomplete: the row counts above differ", file=sys.stderr)
        return 1
    counts = backups.table_counts()
    print(f"restored {folder}: {len(counts)} tables, {sum(counts.values())} rows, as backed up")
    return 0


if __name__ == "__main__":
    sys.exit(main())
