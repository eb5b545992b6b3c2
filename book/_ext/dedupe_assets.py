"""Sphinx extension: drop duplicate <script> entries from each page.

Jupyter Book 1.0.4 registers sphinx-thebe's inline configuration script twice, so every page
declares ``const THEBE_JS_URL`` twice and the browser throws a SyntaxError on load (caught by
``make browser-check``). Keeping the first of identical scripts removes the error.
"""


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for js in scripts:
        key = (getattr(js, "filename", str(js)) or "", tuple(sorted((k, str(v)) for k, v in getattr(js, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(js)
    context["script_files"] = unique


def setup(app):
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
