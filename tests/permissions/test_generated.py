"""The permission test generated from the URL resolver: every pattern under /admin/ and
/equipe/, as every role, with GET and POST, and with another territory's ids.

For each (pattern, role, method) it asserts: no server error; anonymous visitors and residents
never get a page; a page a role gets shows no marker of a record outside that role's audience
(tests/permissions/world.py); and nothing outside the role's audience changed or vanished.
A view that provably cannot take a POST (`urlmap.answers_post`: it runs what a GET runs, then
Django answers 405) is posted to as the manager only, who must then get no page; every other
role sends it the GET alone.
Bulk actions are tried with `?id=<foreign>` and `?id=<own>&id=<foreign>`. Each case runs in a
savepoint rolled back afterwards, so one world serves them all. Every failure is collected and
reported at once.
"""

import io
import re
import time
import zipfile
from dataclasses import dataclass
from http.cookies import SimpleCookie

from django.db import transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse

import pytest

from tests.permissions import urlmap
from tests.permissions.harness import ANONYMOUS, MANAGER, RESIDENT, ROLES
from tests.permissions.world import build_generated_world

pytestmark = pytest.mark.django_db

NOT_A_PAGE = (ANONYMOUS, RESIDENT)


@dataclass(frozen=True)
class Case:
    classified: urlmap.Classified
    url: str

    @property
    def rule(self) -> urlmap.Rule:
        return self.classified.rule

    @property
    def answers_post(self) -> bool:
        return urlmap.answers_post(self.classified.pattern)


def argument(spec, world, role, own=False):
    if isinstance(spec, urlmap.Literal):
        return str(spec)
    if spec == urlmap.MISSING:
        return 999_999
    key, _, attribute = spec.partition(":")
    record = world.own(key, role) if own else world.foreign(key, role)
    if attribute == "revision":
        return getattr(record, "latest_revision_id", None) or 999_999
    return record.pk


def url_for(pattern: urlmap.Pattern, values: dict) -> str:
    if pattern.name:
        try:
            return reverse(pattern.name, kwargs=values)
        except NoReverseMatch:
            pass
    if pattern.route == "admin/^.*/$":
        return "/admin/ecran-inexistant/"
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m[1]]), pattern.route)
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m[1]]), route)
    return "/" + route.replace("^", "").replace("$", "").replace("\\", "")


def cases_for(role: str, world) -> list[Case]:
    cases = []
    for pattern in urlmap.admin_patterns():
        classified = urlmap.classify(pattern)
        if classified is None:
            continue  # reported by test_every_admin_and_staff_url_is_classified
        if pattern.name == "wagtail_bulk_action":
            for app, model, action in urlmap.bulk_actions():
                label = f"{app}.{model}"
                if label not in urlmap.MODELS:
                    continue
                key, reach = urlmap.MODELS[label]
                bulk = urlmap.Classified(pattern, urlmap.Rule(reach), label)
                base = f"/admin/bulk/{app}/{model}/{action}/?next=/admin/"
                foreign = world.foreign(key, role).pk
                own = world.own(key, role).pk
                cases.append(Case(bulk, f"{base}&id={foreign}"))
                if own != foreign:
                    cases.append(Case(bulk, f"{base}&id={own}&id={foreign}"))
            continue
        values = {name: argument(classified.rule.ids[name], world, role) for name in pattern.params}
        url = url_for(pattern, values)
        cases.append(Case(classified, url))
        if pattern.name.endswith(":list") or pattern.name == "wagtailforms:list_submissions":
            cases.append(Case(classified, f"{url}?export=csv"))
        for key, query in classified.rule.variants:
            own_values = {name: world.own(key, role).pk for name in pattern.params}
            filled = re.sub(r"\{(\w+)\}", lambda m: str(world.foreign(m[1], role).pk), query)
            cases.append(Case(classified, url_for(pattern, own_values) + filled))
    return cases


def readable(response) -> str:
    """The response's text, unpacking CSV streams, spreadsheets and PDFs."""
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    if raw.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            raw = b"".join(archive.read(name) for name in archive.namelist())
    elif raw.startswith(b"%PDF"):
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(raw)).pages)
    return raw.decode("utf-8", errors="replace")


class _Undo(Exception):
    pass


def run_case(client, world, role, case, method, before) -> tuple[int | str, list[str]]:
    """Send one request in a savepoint rolled back afterwards; the status and what went wrong."""
    problems: list[str] = []
    status: int | str = "-"
    try:
        with transaction.atomic():
            try:
                response = getattr(client, method)(case.url)
            except Exception as error:  # the test client re-raises what the view raised
                tolerated = case.rule.raises or (
                    case.rule.empty_post_raises and method == "post" and role in case.rule.reach
                )
                if not tolerated:
                    problems.append(f"server error {type(error).__name__}: {error}"[:300])
                status = 500
                raise _Undo from error
            status = response.status_code
            if status >= 500 and not case.rule.raises:
                problems.append("server error")
            if 200 <= status < 300:
                if role in NOT_A_PAGE and not case.rule.public:
                    problems.append("a page for someone who is not staff")
                if role in case.rule.reach:
                    forbidden = world.forbidden_markers(role)
                else:
                    forbidden = world.all_markers()
                body = readable(response)
                seen = [m for m in forbidden if m in body]
                if seen:
                    problems.append(f"shows {seen}")
            after = world.fingerprint(role)
            touched = [
                f"{table}#{pk} {'deleted' if after[(table, pk)] is None else 'changed'}"
                for (table, pk), digest in before.items()
                if after[(table, pk)] != digest
            ]
            if touched:
                problems.append(f"changed what it may not: {touched}")
            raise _Undo
    except _Undo:
        pass
    return status, problems


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One world for every role this process runs: built in a transaction of its own, which
    each test's transaction nests in, and rolled back after the module."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            started = time.monotonic()
            built = build_generated_world()
            built.build_seconds = time.monotonic() - started
            built.media_root = media
            yield built
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.parametrize("role", ROLES)
def test_no_role_reaches_another_territory_through_any_admin_or_staff_url(
    role, world, settings, capsys
):
    started = time.monotonic()
    settings.MEDIA_ROOT = world.media_root  # the world's image file
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    cookies = SimpleCookie(client.cookies)
    before = world.fingerprint(role)
    assert all(digest is not None for digest in before.values())
    cases = cases_for(role, world)
    leaks, count = [], 0
    for case in cases:
        answers_post = case.answers_post
        # The manager posts everywhere: a view `answers_post` wrongly calls GET-only shows here.
        for method in ("get", "post") if answers_post or role == MANAGER else ("get",):
            count += 1
            status, problems = run_case(client, world, role, case, method, before)
            if method == "post" and not answers_post and 200 <= status < 300:
                problems.append("a page for a POST to a view without a post method")
            client.cookies = SimpleCookie(cookies)  # a logout must not end the session
            leaks.extend(f"{method.upper()} {case.url} as {role}: {status}, {p}" for p in problems)
    with capsys.disabled():
        print(
            f"\n[generated permissions] {role}: {len(cases)} URLs, GET and (where the view takes one) "
            f"POST = {count} cases, "
            f"{len(leaks)} leaks ({time.monotonic() - started:.0f} s; world built in "
            f"{world.build_seconds:.0f} s)"
        )
    leaks.sort(key=lambda line: "server error" in line)  # what leaks first, then the crashes
    assert not leaks, f"{len(leaks)} leaks in {count} cases:\n" + "\n".join(leaks)


def test_every_admin_and_staff_url_is_classified(capsys):
    patterns = urlmap.admin_patterns()
    problems = urlmap.unclassified(patterns) + urlmap.unclassified_bulk_actions()
    with capsys.disabled():
        print(
            f"\n[generated permissions] {len(patterns)} patterns under /admin/ and /equipe/, "
            f"{len(urlmap.bulk_actions())} bulk actions, {len(problems)} unclassified"
        )
    assert len(patterns) > 400  # the walk really reached Wagtail's admin
    assert not problems, "\n".join(problems)


@override_settings(ROOT_URLCONF="tests.permissions.extra_urls")
def test_a_new_admin_screen_is_reported_until_it_is_classified():
    problems = urlmap.unclassified(urlmap.admin_patterns())
    assert problems == [
        "unclassified pattern: /admin/nouvel-ecran/<int:pk>/ (name nouvel_ecran, arguments ['pk'])"
    ]


def test_a_known_group_with_an_unknown_id_or_model_is_unclassified():
    known = urlmap.Pattern("equipe/appels/", "staff:calls", ())
    unknown_id = urlmap.Pattern("equipe/dossiers/<int:file_id>/", "staff:file", ("file_id",))
    unknown_model = urlmap.Pattern(
        "admin/snippets/cms/nouveau/", "wagtailsnippets_cms_nouveau:list", ()
    )
    assert urlmap.classify(known) is not None
    assert urlmap.classify(unknown_id) is None
    assert urlmap.classify(unknown_model) is None


def test_only_views_that_cannot_take_a_post_are_spared_one():
    by_name = {pattern.name: pattern for pattern in urlmap.admin_patterns()}
    assert not urlmap.answers_post(by_name["wagtailsnippets_community_voice:list"])
    assert urlmap.answers_post(by_name["wagtailsnippets_community_voice:edit"])
    assert urlmap.answers_post(by_name["indicators:report_comment"])  # a function view
    spared = [pattern for pattern in by_name.values() if not urlmap.answers_post(pattern)]
    assert 0 < len(spared) < len(by_name)
