"""Partners' logos as {% picture %} writes them (AVIF, WebP and PNG, 160 and 320 px wide), kept
per process: the tag looked up six renditions per logo on every request (the home page's seven
logos cost about 3 ms of CPU and two queries). The key names the image, its file, size and focal
point, so a new file or focal point (new renditions) is written afresh."""

from functools import cache

from django.template import Context, Template
from django.utils.safestring import SafeString


@cache
def _picture() -> Template:
    # Compiled once, after the apps are ready (this module is imported with the models).
    return Template(
        "{% load wagtailimages_tags %}"
        '{% picture image format-{avif,webp,png} max-{160x80,320x160} sizes="160px" alt=alt '
        'loading="lazy" %}'
    )


ENTRIES = 512
_written: dict[tuple, SafeString] = {}


def _key(image, alt) -> tuple:
    return (
        image.pk,
        image.file.name,
        image.width,
        image.height,
        image.focal_point_x,
        image.focal_point_y,
        image.focal_point_width,
        image.focal_point_height,
        str(alt),
    )


def is_written(image, alt) -> bool:
    """Whether this process already wrote this logo (its renditions need not be read)."""
    return _key(image, alt) in _written


def logo_picture(image, alt) -> SafeString:
    key = _key(image, alt)
    html = _written.get(key)
    if html is None:
        html = SafeString(_picture().render(Context({"image": image, "alt": alt})))
        if len(_written) >= ENTRIES:
            _written.clear()
        _written[key] = html
    return html
