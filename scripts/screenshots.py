"""`make screenshots`: serve the demo on a throwaway SQLite database and photograph the pages the
README shows, with Debian's Chromium, into docs/screenshots/."""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.support.net import free_port  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
# (file name, path, width, needs a staff login)
SHOTS = [
    ("accueil-telephone.png", "/", 360, False),
    ("accueil-ordinateur.png", "/", 1280, False),
    ("admin-tableau-de-bord.png", "/admin/", 1280, True),
    ("territoire-telephone.png", "/territoires/lyon-8/", 360, False),
    ("territoire-ordinateur.png", "/territoires/lyon-8/", 1280, False),
    ("territoires-telephone.png", "/territoires/", 360, False),
    ("prestations-telephone.png", "/prestations/", 360, False),
    ("prestations-ordinateur.png", "/prestations/", 1280, False),
    ("nouveaux-arrivants-telephone.png", "/nouveaux-arrivants/", 360, False),
    ("agenda-telephone.png", "/agenda/", 360, False),
    ("equipe-seances-telephone.png", "/equipe/", 360, True),
    ("inscriptions-admin.png", "/admin/snippets/events/event/", 1280, True),
    ("cafe-mediation-telephone.png", "/evenements/cafes/1/", 360, False),
    ("journee-mediation-telephone.png", "/journee-de-la-mediation/", 360, False),
    ("lettre-archive-telephone.png", "/lettre/", 360, False),
    ("equipe-interventions-telephone.png", "/equipe/interventions/", 360, True),
    ("equipe-appels-telephone.png", "/equipe/appels/", 360, True),
    ("equipe-pointage-telephone.png", "/equipe/evenements/1/accueil/?pointer=1", 360, True),
    ("equipe-inscrire-telephone.png", "/equipe/evenements/1/inscrire/", 360, True),
    (
        "inscription-par-telephone-telephone.png",
        "/evenements/demande-recue/inscription/1/?tel=1",
        360,
        False,
    ),
    ("indicateurs-admin.png", "/admin/indicateurs/", 1280, True),
    ("rapport-annuel-admin.png", "/admin/indicateurs/rapport/?year=2015", 1280, True),
    ("lettre-envoi-admin.png", "/admin/lettre/", 1280, True),
    ("evenement-nouveau-admin.png", "/admin/snippets/events/event/add/", 1280, True),
    ("projet-de-service-admin.png", "/admin/indicateurs/projet-de-service/?year=2016", 1280, True),
    ("equipe-enquete-telephone.png", "/equipe/enquete/", 360, True),
]

CREATE_FOLDERS = "from config.folders import create_local_folders; create_local_folders()"


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "VAR_DIR": tmp,
            "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3",
            "DEMO_PASSWORD": "capture-ecran-demo",
        }
        python = str(ROOT / ".venv" / "bin" / "python")
        # The file broker's folders: seeding queues tasks, and the settings create no folder.
        subprocess.run(
            [python, "manage.py", "shell", "-v0", "-c", CREATE_FOLDERS],
            cwd=ROOT,
            env=env,
            check=True,
        )
        subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run(
            [python, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True, capture_output=True
        )
        port = free_port()
        server = subprocess.Popen(
            [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(600):  # up to 2 minutes on a busy machine
                try:
                    urllib.request.urlopen(base + "/health/", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            shoot(base)
        finally:
            server.terminate()
            server.wait(timeout=10)


def shoot(base: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, path, width, staff in SHOTS:
            context = browser.new_context(viewport={"width": width, "height": 800}, locale="fr-FR")
            page = context.new_page()
            if staff:
                login(page, base)
            page.goto(base + path)
            page.wait_for_load_state("networkidle")  # renditions made
            # A full-page capture never scrolls, so images below the fold (loading="lazy", the
            # partners' logos) would stay blank: load them all first.
            page.evaluate(
                "() => Promise.all([...document.images].map(img => { img.loading = 'eager';"
                " return img.complete ? null : new Promise(done => {"
                " img.onload = img.onerror = done; }); }))"
            )
            page.screenshot(path=str(OUT / name), full_page=width < 600)
            context.close()
            print(f"docs/screenshots/{name}")
        browser.close()


def login(page, base: str) -> None:
    page.goto(base + "/admin/login/")
    page.fill(
        "input[name=username], input[name=login], input[type=email]",
        "admin@vivre-ensemble.localhost",
    )
    page.fill("input[type=password]", "capture-ecran-demo")
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_load_state()


if __name__ == "__main__":
    main()
