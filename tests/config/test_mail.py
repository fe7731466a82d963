"""Mail leaves through real SMTP: the sink receives what Django sends, headers and all."""

from django.core.mail import EmailMultiAlternatives


def test_an_email_sent_by_django_reaches_the_smtp_sink(smtp_sink):
    message = EmailMultiAlternatives(
        subject="Café Médiation : votre inscription",
        body="Bonjour Karim,\nÀ mardi !",
        to=["karim@exemple.fr"],
        headers={"Message-ID": "<test-1@vivre-ensemble.localhost>"},
    )
    message.attach_alternative("<p>Bonjour Karim,</p>", "text/html")
    assert message.send() == 1

    [received] = smtp_sink.messages
    assert received.rcpt_tos == ["karim@exemple.fr"]
    assert received.subject == "Café Médiation : votre inscription"
    assert received.message_id == "<test-1@vivre-ensemble.localhost>"
    assert "À mardi" in received.text()
    assert "<p>Bonjour Karim,</p>" in received.html()
    assert smtp_sink.to("autre@exemple.fr") == []
