"""The production recipe in deploy/ is what an operator copies as it is: systemd units that keep
gunicorn, the Celery worker and beat running (checked by `systemd-analyze verify`), and an nginx
site checked by `nginx -t`, then run in front of a stand-in for gunicorn to show what it
promises: static files from disk, private files only through X-Accel-Redirect, the body and
URI limits, maintenance and a stopped application answered with the French static pages."""

import datetime as dt
import getpass
import http.client
import re
import shlex
import shutil
import socket
import socketserver
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from django.http import HttpRequest

import gunicorn.config
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from community import sendfile

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SYSTEMD_ANALYZE = "/usr/bin/systemd-analyze"
NGINX = "/usr/sbin/nginx"
# Where the recipe expects the checkout (with its .venv) and the data folder (VAR_DIR).
APP = "/srv/vivre-ensemble/app"
VAR = "/srv/vivre-ensemble/var"
SERVICES = ("vivre-ensemble-web", "vivre-ensemble-worker", "vivre-ensemble-beat")


def unit_settings(path: Path) -> dict[str, list[str]]:
    """Every `key=value` of a unit file, values in order (a key may repeat)."""
    found: dict[str, list[str]] = {}
    for line in path.read_text().replace("\\\n", " ").splitlines():
        if "=" in line and not line.lstrip().startswith(("#", ";", "[")):
            key, value = line.split("=", 1)
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def test_the_systemd_units_verify_and_supervise_every_process(tmp_path):
    units = sorted((DEPLOY / "systemd").iterdir())
    assert {f"{name}.service" for name in SERVICES} <= {unit.name for unit in units}
    # verify checks that every command exists: the copies name this checkout's virtualenv.
    for unit in units:
        text = unit.read_text()
        assert f"{APP}/.venv/bin/" in text or unit.suffix in (".socket", ".target", ".timer")
        (tmp_path / unit.name).write_text(text.replace(f"{APP}/", f"{ROOT}/"))
    result = subprocess.run(
        [SYSTEMD_ANALYZE, "verify", "--man=no", *sorted(p.name for p in tmp_path.iterdir())],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stderr, result.stdout) == (0, "", "")

    for name in SERVICES:
        unit = unit_settings(DEPLOY / "systemd" / f"{name}.service")
        assert unit["Restart"] == ["always"], name
        assert 1 <= int(unit["RestartSec"][0].rstrip("s")) <= 30, name
        assert unit["StartLimitIntervalSec"] == ["0"], name  # never gives up restarting
        assert unit["User"] == ["vivre-ensemble"], name
        assert unit["WorkingDirectory"] == [APP], name
        assert unit["EnvironmentFile"] == ["/etc/vivre-ensemble/env"], name
        # Graceful stop: SIGTERM to the main process (gunicorn and Celery finish what they
        # started), SIGKILL to whatever is left after the timeout.
        assert unit["KillMode"] == ["mixed"], name
        assert unit.get("KillSignal", ["SIGTERM"]) == ["SIGTERM"], name
        assert 10 <= int(unit["TimeoutStopSec"][0].rstrip("s")) <= 120, name
    # gunicorn accepts its command line, with the unit's default worker count.
    web = unit_settings(DEPLOY / "systemd" / "vivre-ensemble-web.service")
    command = web["ExecStart"][0]
    defaults = dict(pair.split("=", 1) for line in web["Environment"] for pair in line.split())
    command = command.replace("${WEB_WORKERS}", defaults["WEB_WORKERS"])
    program, *args = shlex.split(command)
    assert program == f"{APP}/.venv/bin/gunicorn" and args[0] == "config.wsgi:application"
    parsed = vars(gunicorn.config.Config().parser().parse_args(args))
    assert (parsed["workers"], parsed["timeout"], parsed["limit_request_line"]) == (4, 30, 0)
    beat = unit_settings(DEPLOY / "systemd" / "vivre-ensemble-beat.service")
    assert " beat " in beat["ExecStart"][0]


class _Socket(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


class StandIn(BaseHTTPRequestHandler):
    """What gunicorn answers, as far as the proxy can tell: a document goes through the project's
    own sendfile backend (which the document view calls once permission is checked)."""

    protocol_version = "HTTP/1.1"
    seen: list[dict] = []
    private_file: Path

    def address_string(self):
        return "gunicorn.sock"

    def log_message(self, *args):
        pass

    def do_GET(self):
        StandIn.seen.append({"path": self.path, **dict(self.headers.items())})
        if self.path.startswith("/documents/"):
            answer = sendfile.sendfile(HttpRequest(), str(self.private_file), mimetype="text/plain")
            headers, body = dict(answer.items()), answer.content
        else:
            headers, body = {"Content-Type": "text/html; charset=utf-8"}, b"<p>application</p>"
        self.send_response(200)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def self_signed_certificate(folder: Path) -> None:
    """fullchain.pem and privkey.pem for mediation.example.org, valid for a day."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mediation.example.org")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    (folder / "fullchain.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (folder / "privkey.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def request(port, method, path, *, tls=True, headers=None, body=None):
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=context)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest(method, path, skip_host=True)
        conn.putheader("Host", "mediation.example.org")
        for key, value in (headers or {}).items():
            conn.putheader(key, value)
        conn.endheaders(body)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


def site_for_test(tmp_path: Path, https: int, http_port: int) -> str:
    """The site as shipped, with the machine's paths and ports swapped for temporary ones (each
    swap must find its text, so the recipe cannot drift away from what is tested)."""
    text = (DEPLOY / "nginx" / "vivre-ensemble.conf").read_text()
    swaps = [
        (r"listen \[::\]:(443|80)[^;]*;", ""),
        (r"listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;"),
        (r"listen 80;", f"listen 127.0.0.1:{http_port};"),
        (re.escape(f"{APP}/"), f"{ROOT}/"),
        (re.escape(f"{VAR}/"), f"{tmp_path}/var/"),
        (r"unix:/run/vivre-ensemble/gunicorn\.sock", f"unix:{tmp_path}/gunicorn.sock"),
        (r"/etc/letsencrypt/live/mediation\.example\.org/", f"{tmp_path}/tls/"),
        (r"/var/cache/nginx/vivre-ensemble", f"{tmp_path}/cache"),
        (r"/var/log/nginx/", f"{tmp_path}/"),
        (r"/var/www/letsencrypt", f"{tmp_path}/acme"),
    ]
    for pattern, replacement in swaps:
        text, count = re.subn(pattern, replacement, text)
        assert count, f"the nginx site no longer contains {pattern!r}"
    return text


def test_the_nginx_site_passes_nginx_t_and_serves_what_it_promises(tmp_path, settings):
    https, http_port = free_port(), free_port()
    (tmp_path / "tls").mkdir()
    self_signed_certificate(tmp_path / "tls")
    var = tmp_path / "var"
    (var / "static/css").mkdir(parents=True)
    shutil.copy(ROOT / "static/css/site.css", var / "static/css/site.css")
    (var / "media/original_images").mkdir(parents=True)
    (var / "media/original_images/affiche.jpg").write_bytes(b"jpeg")
    (var / "private/documents").mkdir(parents=True)
    (var / "private/documents/compte-rendu.txt").write_text("compte rendu confidentiel")
    (tmp_path / "site.conf").write_text(site_for_test(tmp_path, https, http_port))
    (tmp_path / "nginx.conf").write_text(
        f"user {getpass.getuser()};\n"  # ignored (with a notice) unless run as root
        f"worker_processes 1;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events { worker_connections 64; }\n"
        "http {\n  include /etc/nginx/mime.types;\n"
        + "".join(f"  {kind}_temp_path {tmp_path}/{kind};\n"
                  for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        + f"  include {tmp_path}/site.conf;\n}}\n"
    )  # fmt: skip
    command = [NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", "stderr"]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr

    settings.PRIVATE_FILES_SENDFILE = "x-accel-redirect"
    settings.PRIVATE_MEDIA_ROOT = var / "private"
    StandIn.private_file = var / "private/documents/compte-rendu.txt"
    StandIn.seen = []
    app = _Socket(str(tmp_path / "gunicorn.sock"), StandIn)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    nginx = subprocess.Popen([*command, "-g", "daemon off;"], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", https), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline and nginx.poll() is None, "nginx did not start"

        # The application's answers pass through, with what Django needs to know about TLS.
        status, headers, body = request(https, "GET", "/agenda/", headers={"X-Request-ID": "x"})
        assert (status, body) == (200, "<p>application</p>")
        assert StandIn.seen[-1]["X-Forwarded-Proto"] == "https"
        assert StandIn.seen[-1]["Host"] == "mediation.example.org"
        assert re.fullmatch(r"[0-9a-f]{32}", StandIn.seen[-1]["X-Request-ID"])  # nginx's own
        # A permitted document: the application says where, nginx sends the file.
        status, headers, body = request(https, "GET", "/documents/1/compte-rendu.txt")
        assert (status, body) == (200, "compte rendu confidentiel")
        assert "X-Accel-Redirect" not in headers
        # The private folder is never reachable from outside, nor documents under /media/.
        status, _, body = request(https, "GET", "/private-files/documents/compte-rendu.txt")
        assert status == 404 and "Page introuvable" in body and '<html lang="fr">' in body
        assert request(https, "GET", "/media/documents/compte-rendu.txt")[0] == 404
        # Static files and public media come from disk.
        status, headers, body = request(https, "GET", "/static/css/site.css")
        assert status == 200 and body == (ROOT / "static/css/site.css").read_text()
        assert request(https, "GET", "/media/original_images/affiche.jpg")[0] == 200
        # Limits answered with the French pages.
        status, _, body = request(
            https, "POST", "/evenements/", headers={"Content-Length": str(2 * 1024 * 1024)}
        )
        assert status == 413 and "Envoi trop volumineux" in body
        status, _, body = request(https, "GET", "/agenda/?q=" + "a" * 9000)
        assert status == 414 and "Adresse trop longue" in body
        # Plain HTTP is sent to HTTPS.
        status, headers, _ = request(http_port, "GET", "/agenda/?au=1", tls=False)
        assert status == 301
        assert headers["Location"] == "https://mediation.example.org/agenda/?au=1"
        # Maintenance: the flag file turns every page into the French 503 page.
        (var / "maintenance").touch()
        status, _, body = request(https, "GET", "/agenda/")
        assert status == 503 and "maintenance" in body
        assert request(https, "GET", "/admin/")[0] == 503
        (var / "maintenance").unlink()
        # gunicorn stopped: the French 502 page, not nginx's English one.
        app.shutdown()
        app.server_close()
        (tmp_path / "gunicorn.sock").unlink()
        status, _, body = request(https, "GET", "/agenda/")
        assert status == 502 and '<html lang="fr">' in body and "<center>nginx" not in body
        assert "momentanément" in body
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
