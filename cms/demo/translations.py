"""The demo's pages in English and Arabic: the home page, the agenda and the privacy page, as a
translator would leave them in the admin (wagtail-localize). The events, Cafés and the sign-up
flow need no page: their interface strings are translated (locale/) and their editors' text
shows in French, marked lang="fr". Idempotent: an existing translation is left as edited."""

from django.db import transaction

from wagtail.models import Locale, Page, Site

from cms.demo.pages import rich, stream

TEXTS = {
    "en": {
        "home": {
            "title": "Vivre Ensemble",
            "tagline": "Our social mediators ease tensions through dialogue, connect residents "
            "and help them become independent, in Lyon 7, Lyon 8, Lyon 9 and the east of the "
            "metropolitan area.",
            "testimonials_heading": "In their own words",
            "partners_heading": "Our partners and funders",
            "subscribe_heading": "Get the newsletter",
            "subscribe_text": "Every quarter, news of social mediation in your neighbourhood.",
        },
        "agenda": {
            "title": "What's on",
            "intro": rich(
                "Mediation cafés, workshops, awareness events: what is happening near you."
            ),
        },
        "privacy": {
            "title": "Personal data",
            "intro": rich("We only collect the information each service needs."),
            "body": stream(
                ("heading", {"text": "What we keep and for how long", "level": "h2"}),
                (
                    "paragraph",
                    rich(
                        "We keep your data only as long as necessary: how long each kind of "
                        "data is kept is shown below.",
                        "From your account you can download your data or delete your account; "
                        "you can also write to us or come to our office.",
                    ),
                ),
            ),
        },
    },
    "ar": {
        "home": {
            "title": "العيش معًا",
            "tagline": "يعمل وسطاؤنا الاجتماعيون على تهدئة التوترات بالحوار، ويربطون بين السكان "
            "ويساعدونهم على الاستقلالية، في أحياء ليون وشرق المنطقة الحضرية.",
            "testimonials_heading": "بكلماتهم",
            "partners_heading": "شركاؤنا والجهات الممولة",
            "subscribe_heading": "اشترك في النشرة الإخبارية",
            "subscribe_text": "كل ثلاثة أشهر، أخبار الوساطة الاجتماعية في حيّك.",
        },
        "agenda": {
            "title": "المواعيد",
            "intro": rich("مقاهي الوساطة والورشات وحملات التوعية: ما يجري بالقرب منك."),
        },
        "privacy": {
            "title": "البيانات الشخصية",
            "intro": rich("لا نجمع إلا المعلومات التي تحتاجها كل خدمة."),
            "body": stream(
                ("heading", {"text": "ما نحتفظ به ومدة الاحتفاظ", "level": "h2"}),
                (
                    "paragraph",
                    rich(
                        "لا نحتفظ ببياناتك إلا المدة اللازمة: مدة الاحتفاظ بكل نوع من البيانات "
                        "مبيّنة أدناه.",
                        "من حسابك يمكنك تنزيل بياناتك أو حذف حسابك، ويمكنك أيضًا مراسلتنا أو "
                        "زيارة مكتب الاستقبال.",
                    ),
                ),
            ),
        },
    },
}


@transaction.atomic
def translate_pages(*, home: Page, agenda: Page, privacy: Page) -> None:
    """Each page's English and Arabic translation, created and published when missing."""
    for language, texts in TEXTS.items():
        locale, _ = Locale.objects.get_or_create(language_code=language)
        for page, fields in (
            (home, texts["home"]),
            (agenda, texts["agenda"]),
            (privacy, texts["privacy"]),
        ):
            translate(page.specific, locale, fields, empty_body=page.specific is home.specific)
    Site.clear_site_root_paths_cache()


def translate(page: Page, locale: Locale, fields: dict, *, empty_body: bool = False) -> Page:
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing
    translated = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translated, name, value)
    if empty_body:
        # The home page's call to action leads to a French form: left out of the translations.
        translated.body = "[]"
    translated.save_revision().publish()
    return translated
