"""A `SENDFILE_BACKEND` for Wagtail's document view (wagtail.utils.sendfile): once the view
has checked permission, the proxy sends the file itself.

settings.PRIVATE_FILES_SENDFILE picks the header: "x-accel-redirect" (nginx: the path is
PRIVATE_FILES_ACCEL_PREFIX followed by the file's path inside PRIVATE_MEDIA_ROOT, an `internal`
location aliased to that folder) or "x-sendfile" (Apache mod_xsendfile, lighttpd: the absolute
path). A file outside PRIVATE_MEDIA_ROOT is streamed by Django as without this setting.
"""

from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse

from wagtail.utils import sendfile_streaming_backend

HEADERS = {"x-accel-redirect": "X-Accel-Redirect", "x-sendfile": "X-Sendfile"}


def sendfile(request, filename, **kwargs):
    mode = settings.PRIVATE_FILES_SENDFILE.lower()
    if mode not in HEADERS:
        raise ImproperlyConfigured(
            f"PRIVATE_FILES_SENDFILE must be one of {sorted(HEADERS)}, not {mode!r}."
        )
    path = Path(filename).resolve()
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    if not path.is_relative_to(root):
        return sendfile_streaming_backend.sendfile(request, filename, **kwargs)
    response = HttpResponse(content_type=kwargs.get("mimetype"))
    if mode == "x-accel-redirect":
        prefix = settings.PRIVATE_FILES_ACCEL_PREFIX.rstrip("/") + "/"
        response["X-Accel-Redirect"] = prefix + quote(path.relative_to(root).as_posix())
    else:
        response["X-Sendfile"] = str(path)
    return response
