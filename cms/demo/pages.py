"""The demo's building blocks for pages: Wagtail's roots, rich text and stream bodies, generated
images and logos, and a child page found by slug or created."""

import io
import json

from django.conf import settings
from django.core.files.images import ImageFile

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    Locale,
    Page,
)

from PIL import Image as PILImage
from PIL import ImageDraw


def ensure_wagtail_roots() -> Page:
    """The locale, root page and root collection Wagtail's migrations create; recreated when a
    database was flushed (transactional tests do that)."""
    language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    locale, _ = Locale.objects.get_or_create(language_code=language)
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    return root


def rich(*paragraphs: str) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def bullet_list(items) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def stream(*blocks) -> str:
    """A StreamField value as JSON, from (type, value) pairs."""
    return json.dumps([{"type": kind, "value": value} for kind, value in blocks])


def demo_image(title: str, colour: tuple, alt: str, size=(1200, 800)):
    """A simple generated picture (coloured shapes), created once by title."""
    Image = get_image_model()  # noqa: N806
    image = Image.objects.filter(title=title).first()
    if image is not None:
        return image
    width, height = size
    picture = PILImage.new("RGB", size, (250, 247, 240))
    draw = ImageDraw.Draw(picture)
    r, g, b = colour
    draw.rectangle([0, height * 0.62, width, height], fill=(r, g, b))
    draw.ellipse([width * 0.08, height * 0.12, width * 0.42, height * 0.62], fill=(r, g, b))
    draw.ellipse(
        [width * 0.5, height * 0.22, width * 0.78, height * 0.64],
        fill=(min(r + 50, 255), min(g + 50, 255), min(b + 50, 255)),
    )
    draw.rectangle([width * 0.8, height * 0.3, width * 0.92, height * 0.62], fill=(40, 40, 40))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    slug = "".join(c if c.isalnum() else "-" for c in title.lower())[:40]
    return Image.objects.create(
        title=title, description=alt, file=ImageFile(buffer, name=f"demo-{slug}.png")
    )


def demo_logo(name: str, colour: tuple):
    Image = get_image_model()  # noqa: N806
    title = f"Logo {name}"
    image = Image.objects.filter(title=title).first()
    if image is not None:
        return image
    picture = PILImage.new("RGB", (320, 160), (255, 255, 255))
    draw = ImageDraw.Draw(picture)
    draw.rounded_rectangle([8, 8, 312, 152], radius=18, outline=colour, width=8)
    draw.ellipse([28, 44, 100, 116], fill=colour)
    draw.text((118, 70), name[:22], fill=(20, 20, 20))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return Image.objects.create(
        title=title, description=name, file=ImageFile(buffer, name=f"logo-{len(name)}.png")
    )


def ensure_child(parent: Page, model, slug: str, **fields):
    """The live child page of `parent` with `slug`, created and published when missing."""
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page
