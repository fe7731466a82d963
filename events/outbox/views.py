"""The outbox's public addresses: the short link of a text message, and the webhook where the
SMS provider reports STOP answers."""

import json

from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from events import tokens
from events.outbox import opt_out, short_links

MAX_REPORT_BYTES = 256 * 1024


@require_GET
def short_link(request, code: str):
    """A texted link: on to the booking's page (its usual signed address)."""
    booking = short_links.booking_for(code)
    if booking is None:
        return render(request, "events/bad_link.html", status=404)
    return HttpResponseRedirect(tokens.manage_url(booking))


@csrf_exempt  # called by the provider, authenticated by the shared secret
@require_POST
def sms_report(request):
    """The provider's reports (JSON, one or a list), authenticated by SMS_WEBHOOK_SECRET in the
    Authorization header; the STOP answers among them are recorded."""
    if not opt_out.secret_matches(request.headers.get("Authorization", "")):
        return JsonResponse({"error": "forbidden"}, status=403)
    if len(request.body) > MAX_REPORT_BYTES:
        return JsonResponse({"error": "too large"}, status=413)
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": "invalid JSON"}, status=400)
    reports = payload if isinstance(payload, list) else [payload]
    return JsonResponse({"recorded": opt_out.record_reports(reports)})
