from django.test.client import Client

import pytest


@pytest.fixture(autouse=True)
def _each_request_commits(monkeypatch, django_capture_on_commit_callbacks):
    """Account emails are queued once the request's transaction commits
    (community.account_mail). These tests run inside one transaction that never commits: each
    test-client request runs its on-commit callbacks at its end, as a served request would."""
    request = Client.request

    def committing(self, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return request(self, **kwargs)

    monkeypatch.setattr(Client, "request", committing)
