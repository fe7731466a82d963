"""The local folders the embedded default writes to, created by the scripts that start it
(scripts/run.sh, scripts/screenshots.py) rather than by importing the settings."""

from pathlib import Path

from django.conf import settings

# Kombu's file broker writes to these folders and does not create them.
BROKER_FOLDER_OPTIONS = ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")


def local_folders() -> list[Path]:
    """Every folder the current settings write to on this machine: the var folder (the SQLite
    database lives there), static and media roots, the file-email folder, the file broker's."""
    folders = [Path(settings.VAR_DIR), Path(settings.STATIC_ROOT), Path(settings.MEDIA_ROOT)]
    folders.append(Path(settings.PRIVATE_MEDIA_ROOT))
    if getattr(settings, "EMAIL_FILE_PATH", None):
        folders.append(Path(settings.EMAIL_FILE_PATH))
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    folders += [Path(options[key]) for key in BROKER_FOLDER_OPTIONS if options.get(key)]
    return folders


def create_local_folders() -> list[Path]:
    folders = local_folders()
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    return folders
