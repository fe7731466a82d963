"""Where files that are not for everyone live.

Public media (images and their renditions) are served by the proxy from MEDIA_ROOT. Private
files (imported spreadsheets, Wagtail documents) live in the "private" storage
(settings.STORAGES["private"]): a folder outside MEDIA_ROOT in the embedded default
(PRIVATE_MEDIA_ROOT), with no URL, so nothing in it can be reached except through a view that
checks permission (documents: Wagtail's serve view, which applies collection privacy; import
files: never served, only read by the import).

Wagtail's document model stores its files in the default storage under "documents/"; the
default storage is `MediaStorage`, which sends every name under PRIVATE_MEDIA_PREFIXES to the
private storage, so a document can never land in the public folder, whichever screen saved it.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.functional import cached_property
from django.utils.module_loading import import_string

NO_URL = "Private files have no public URL: serve them through a view that checks permission."


class PrivateFileSystemStorage(FileSystemStorage):
    """FileSystemStorage rooted at settings.PRIVATE_MEDIA_ROOT (not MEDIA_ROOT), with no URL."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def url(self, name):
        raise NotImplementedError(NO_URL)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


def private_storage() -> Storage:
    """The private storage (a callable, so migrations name it rather than its settings)."""
    return storages["private"]


def is_private_name(name: str) -> bool:
    return str(name).replace("\\", "/").startswith(tuple(settings.PRIVATE_MEDIA_PREFIXES))


class MediaStorage(Storage):
    """The default storage: names under PRIVATE_MEDIA_PREFIXES go to the private storage,
    every other name to the public backend (`public`: {"BACKEND": ..., "OPTIONS": {...}})."""

    def __init__(self, public=None):
        self.public_config = public or {"BACKEND": "django.core.files.storage.FileSystemStorage"}

    @cached_property
    def public(self) -> Storage:
        return import_string(self.public_config["BACKEND"])(**self.public_config.get("OPTIONS", {}))

    def backend(self, name) -> Storage:
        return private_storage() if is_private_name(name) else self.public

    def _open(self, name, mode="rb"):
        return self.backend(name).open(name, mode)

    def _save(self, name, content):
        return self.backend(name).save(name, content)

    def get_available_name(self, name, max_length=None):
        return self.backend(name).get_available_name(name, max_length=max_length)

    def delete(self, name):
        return self.backend(name).delete(name)

    def exists(self, name):
        return self.backend(name).exists(name)

    def listdir(self, path):
        return self.backend(os.path.join(path, "")).listdir(path)

    def size(self, name):
        return self.backend(name).size(name)

    def url(self, name):
        return self.backend(name).url(name)

    def path(self, name):
        return self.backend(name).path(name)

    def get_accessed_time(self, name):
        return self.backend(name).get_accessed_time(name)

    def get_created_time(self, name):
        return self.backend(name).get_created_time(name)

    def get_modified_time(self, name):
        return self.backend(name).get_modified_time(name)
