#!/usr/bin/env python
"""`make backup`: the database and the media/private files in one dated folder under BACKUP_DIR
(var/backups by default). See config/backups.py and the operator's guide."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")


def main() -> int:
    import django  # noqa: PLC0415 -- after the settings module is chosen

    django.setup()
    from config import backups  # noqa: PLC0415 -- needs Django set up

    try:
        folder = backups.backup()
    except backups.BackupError as exc:
        print(f"backup failed: {exc}", file=sys.stderr)
        return 1
    manifest = backups.json.loads((folder / backups.MANIFEST).read_text())
    rows = sum(manifest["tables"].values())
    files = sum(manifest["files"].values())
    print(
        f"backup written to {folder}: {len(manifest['tables'])} tables, {rows} rows, {files} files"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
