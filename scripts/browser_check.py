"""`make browser-check`: open the built book in headless Chromium, as a reader would, and screenshot it.

Serves _build/html on localhost, opens the landing page and every page of the table of contents in
Debian's Chromium (driven by Playwright, no browser download), and fails if a page does not render:
almost no text, an image that did not load, a JavaScript error, or a console error. Requests to other
hosts (fonts/maths from a CDN) are blocked, since the check runs offline; they are listed, not failed.
Screenshots go to _build/screenshots/ (not in git).
"""

from __future__ import annotations

import functools
import http.server
import os
import pathlib
import shutil
import sys
import threading

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from toc import toc_files  # noqa: E402

HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def find_chromium() -> str:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and pathlib.Path(candidate).exists():
            return candidate
    raise SystemExit("browser-check: Chromium not found; install Debian's package: apt-get install -y chromium "
                     "(or set CHROMIUM=/path/to/chromium)")


def pages() -> list[str]:
    return [str(p.relative_to(ROOT).with_suffix(".html")) for p in toc_files()]


def serve(directory: pathlib.Path) -> tuple[http.server.ThreadingHTTPServer, int]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def check_page(page, url: str, shot: pathlib.Path) -> tuple[list[str], list[str]]:
    problems, blocked = [], []
    console = []
    page.on("console", lambda m: console.append(m) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"JavaScript error: {e}"))
    response = page.goto(url, wait_until="load")
    if response is None or response.status != 200:
        return [f"HTTP {response.status if response else 'no response'}"], blocked
    page.wait_for_timeout(300)
    text = page.inner_text("body")
    if len(text.strip()) < 200:
        problems.append(f"looks blank ({len(text.strip())} characters of text)")
    broken = page.eval_on_selector_all(
        "img", "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src'))")
    problems += [f"image did not load: {src}" for src in broken]
    for m in console:
        loc = (m.location or {}).get("url", "")
        if loc and not loc.startswith("http://127.0.0.1"):
            blocked.append(loc)
        elif "net::ERR_FAILED" in m.text and not loc:
            blocked.append(m.text)
        else:
            problems.append(f"console error: {m.text} ({loc})")
    page.screenshot(path=str(shot), full_page=True)
    return problems, blocked


def main() -> int:
    from playwright.sync_api import sync_playwright

    if not (HTML / "index.html").exists():
        raise SystemExit("browser-check: _build/html/index.html is missing; run `make book` first")
    SHOTS.mkdir(parents=True, exist_ok=True)
    server, port = serve(HTML)
    failures = 0
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            external = []
            context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
                f"http://127.0.0.1:{port}/") else (external.append(route.request.url), route.abort()))
            for rel in ["index.html"] + pages():
                page = context.new_page()
                shot = SHOTS / (rel.replace("/", "__").removesuffix(".html") + ".png")
                problems, _ = check_page(page, f"http://127.0.0.1:{port}/{rel}", shot)
                page.close()
                status = "ok" if not problems else "FAIL"
                failures += bool(problems)
                print(f"  {status:<4} {rel}  (screenshot {shot.relative_to(ROOT)})")
                for problem in problems:
                    print(f"         - {problem}")
            browser.close()
            hosts = sorted({u.split('/')[2] for u in external if '://' in u})
            if hosts:
                print(f"  blocked requests to other hosts (offline check; a reader online loads them): {', '.join(hosts)}")
    finally:
        server.shutdown()
    print(f"browser-check: {len(pages()) + 1 - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
