"""`make browser-check`: open the built book in headless Chromium, as a reader would, and screenshot it.

Serves _build/html on localhost, opens the landing page and every page of the table of contents in
Debian's Chromium (driven by Playwright, no browser download), and fails if a page does not render:
almost no text, an image that did not load, a JavaScript error, a console error, a request that leaves
the book, or TeX left unrendered in the visible text (`\\(`, `\\[`, `$$`, `\\begin`: MathJax did not run).
The network is blocked (Chromium resolves no host but 127.0.0.1, and every request to another address is
aborted), as for a reader offline: the book must serve its own scripts, styles, fonts and MathJax.
Before the pages, a self-test breaks a copy of a page both ways (a CDN image, MathJax removed) and
checks that both are reported, so the check can fail.
Screenshots go to _build/screenshots/ (not in git).
"""

from __future__ import annotations

import functools
import http.server
import re
import os
import pathlib
import shutil
import sys
import threading

ROOT = pathlib.Path(__file__).resolve().parent.parent
from toc import toc_files  # noqa: E402

HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 # the network is blocked: no host name resolves but the local server's
                 "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]
# TeX delimiters that MathJax replaces; left in the visible text (outside code) they mean the maths did not render.
UNRENDERED_TEX = re.compile(r"\\\(|\\\[|\$\$|\\begin\{")
# The page's visible text outside code blocks and rendered maths, after MathJax has finished typesetting.
VISIBLE_PROSE_JS = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  const body = document.body.cloneNode(true);
  body.querySelectorAll("pre, code, script, style, mjx-container, .MathJax, .highlight").forEach(e => e.remove());
  document.documentElement.appendChild(body);  // innerText needs a rendered node
  const text = body.innerText;
  body.remove();
  return text;
}"""


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


def check_page(page, url: str, shot: pathlib.Path, external: list[str]) -> list[str]:
    """Problems of one page; `external` collects the requests it made that left the book."""
    problems = []
    console = []
    page.on("console", lambda m: console.append(m) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"JavaScript error: {e}"))
    response = page.goto(url, wait_until="load")
    if response is None or response.status != 200:
        return [f"HTTP {response.status if response else 'no response'}"]
    page.wait_for_timeout(300)
    text = page.inner_text("body")
    if len(text.strip()) < 200:
        problems.append(f"looks blank ({len(text.strip())} characters of text)")
    broken = page.eval_on_selector_all(
        "img", "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src'))")
    problems += [f"image did not load: {src}" for src in broken if src not in " ".join(external)]
    prose = page.evaluate(VISIBLE_PROSE_JS)
    for m in UNRENDERED_TEX.finditer(prose):
        snippet = prose[max(0, m.start() - 30):m.end() + 40].replace("\n", " ")
        problems.append(f"unrendered TeX in the visible text: ...{snippet}...")
    for m in console:
        loc = (m.location or {}).get("url", "")
        if any(loc == u for u in external) or ("net::ERR" in m.text and external):
            continue  # reported below, once per request
        problems.append(f"console error: {m.text} ({loc})")
    problems += [f"request leaves the book (blocked; the book must serve it itself): {u}" for u in external]
    page.screenshot(path=str(shot), full_page=True)
    return problems


def open_page(context, base: str, rel: str, shot: pathlib.Path) -> list[str]:
    page = context.new_page()
    external: list[str] = []
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
               else (external.append(route.request.url), route.abort("internetdisconnected")))
    try:
        return check_page(page, base + rel, shot, external)
    finally:
        page.close()


def self_test(context, base: str) -> list[str]:
    """Break a copy of a page that has maths both ways; the check must report both. Returns what it missed."""
    source = next((HTML / p for p in pages() if "class=\"math" in (HTML / p).read_text(encoding="utf-8")), None)
    if source is None:
        return ["self-test: no built page contains maths (class=\"math\"), so the TeX check cannot be tested"]
    html = source.read_text(encoding="utf-8")
    without_mathjax = re.sub(r'<script[^>]*src="[^"]*mathjax[^"]*"[^>]*>\s*</script>', "", html)
    cdn = html.replace("</body>", '<img src="https://cdn.example.org/pixel.png" alt=""></body>')
    missed = []
    for name, broken_html, expected in (("without-mathjax", without_mathjax, "unrendered TeX"),
                                        ("cdn-request", cdn, "request leaves the book")):
        copy = source.with_name(f"_browser_check_selftest_{name}.html")
        copy.write_text(broken_html, encoding="utf-8")
        try:
            problems = open_page(context, base, str(copy.relative_to(HTML)), SHOTS / f"_selftest_{name}.png")
        finally:
            copy.unlink()
        if without_mathjax == html and name == "without-mathjax":
            missed.append("self-test: could not find the MathJax <script> to remove")
        elif not any(p.startswith(expected) for p in problems):
            missed.append(f"self-test: a page {name.replace('-', ' ')} was not reported ({expected}); got {problems}")
    return missed


def main() -> int:
    from playwright.sync_api import sync_playwright

    if not (HTML / "index.html").exists():
        raise SystemExit("browser-check: _build/html/index.html is missing; run `make book` first")
    SHOTS.mkdir(parents=True, exist_ok=True)
    server, port = serve(HTML)
    base = f"http://127.0.0.1:{port}/"
    failures = 0
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            missed = self_test(context, base)
            for problem in missed:
                print(f"  FAIL {problem}")
            failures += bool(missed)
            for rel in ["index.html"] + pages():
                shot = SHOTS / (rel.replace("/", "__").removesuffix(".html") + ".png")
                problems = open_page(context, base, rel, shot)
                status = "ok" if not problems else "FAIL"
                failures += bool(problems)
                print(f"  {status:<4} {rel}  (screenshot {shot.relative_to(ROOT)})")
                for problem in problems:
                    print(f"         - {problem}")
            browser.close()
    finally:
        server.shutdown()
    print(f"browser-check: {len(pages()) + 1 - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
