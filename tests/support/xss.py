"""Tools of the XSS browser test: the payload lists, a driver for the served site's
database, and a browser audit that says whether a page ran or grew anything from a payload.

``SiteDriver`` keeps one Python process in a ``RunningSite``'s environment and calls the
functions of ``xss_site`` there (one JSON line each way). ``Audit`` is installed on a
Playwright page before it loads anything: it replaces ``alert``/``confirm``/``prompt``/
``print``/``open``, watches ``fetch``/``XMLHttpRequest`` to other origins and Content Security
Policy violations, records dialogs, requests to other origins and console errors, and
``Audit.check`` inspects the DOM for anything a payload could have added.
"""

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.fixtures import shared_fixture
from tests.support.servers import BASE_DIR
from tests.support.xss_site import REPLY_MARK

PAYLOAD_LISTS = (
    "patt-RSNAKE_XSS.txt",
    "patt-XSS_Polyglots.txt",
    "payloadbox-xss-payload-list.txt",
)


@dataclass(frozen=True)
class Payload:
    list_name: str
    line: int
    text: str


def payloads_load() -> list[Payload]:
    """Every line of the three shared lists (skips the test where they are absent)."""
    payloads = []
    for name in PAYLOAD_LISTS:
        text = Path(shared_fixture(f"xss/{name}")).read_text(encoding="utf-8")
        payloads += [
            Payload(name, number, line)
            for number, line in enumerate(text.split("\n"), start=1)
            if line
        ]
    return payloads


class SiteDriver:
    """A Python process in the site's environment answering calls to ``xss_site``."""

    def __init__(self, site):
        bootstrap = (
            "import django; django.setup(); "
            "from tests.support.xss_site import driver_main; driver_main()"
        )
        self.process = subprocess.Popen(
            [sys.executable, "-u", "-c", bootstrap],
            cwd=BASE_DIR,
            env=site.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def call(self, name: str, **kwargs):
        self.process.stdin.write(json.dumps({"call": name, "kwargs": kwargs}) + "\n")
        self.process.stdin.flush()
        for line in self.process.stdout:
            if line.startswith(REPLY_MARK):
                answer = json.loads(line[len(REPLY_MARK) :])
                if "error" in answer:
                    raise RuntimeError(f"{name} failed in the site:\n{answer['error']}")
                return answer["result"]
        raise RuntimeError(f"the site's driver exited during {name}")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


SENTINEL_SCRIPT = """
(() => {
  const hits = [];
  Object.defineProperty(window, "__xss", { value: hits, writable: false, configurable: false });
  const note = (kind, detail) => {
    let text = "";
    try { text = String(detail).slice(0, 200); } catch (e) { text = "?"; }
    hits.push(kind + ": " + text);
  };
  for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
    window[name] = function (arg) { note(name, arg); return null; };
  }
  const foreign = (url) => {
    try { return new URL(url, location.href).origin !== location.origin; }
    catch (e) { return true; }
  };
  const realFetch = window.fetch;
  window.fetch = function (input, init) {
    const url = input instanceof Request ? input.url : String(input);
    if (foreign(url)) { note("fetch", url); }
    return realFetch.apply(this, arguments);
  };
  const realOpen = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) {
    if (foreign(String(url))) { note("xhr", url); }
    return realOpen.apply(this, arguments);
  };
  document.addEventListener("securitypolicyviolation", (event) => {
    note("csp " + event.violatedDirective, event.blockedURI + " " + (event.sample || ""));
  });
})();
"""

# What no user text may bring into a page: elements, and attributes on any element.
AUDIT_SCRIPT = """
([scope, content]) => {
  const found = [];
  const say = (what, el) => found.push(what + " in <" + el.localName + "> "
    + (el.outerHTML || "").slice(0, 160));
  const forbidden = new Set(["script", "iframe", "frame", "frameset", "object", "embed",
    "applet", "base", "meta", "link", "style", "form", "input", "button", "textarea",
    "select", "svg", "math", "template", "isindex", "portal", "xmp", "plaintext", "noembed",
    "noframes", "image", "xml", "import"]);
  const urlAttributes = new Set(["href", "src", "action", "formaction", "xlink:href", "data",
    "background", "poster", "dynsrc", "lowsrc", "cite", "codebase", "srcset", "ping",
    "longdesc", "usemap", "manifest", "profile", "to", "values", "from", "by"]);
  const badScheme =
    /^(javascript|vbscript|livescript|mocha|data:text|data:application|data:image\\/svg)/;
  const roots = document.querySelectorAll(scope);
  for (const root of roots) {
    for (const el of [root, ...root.querySelectorAll("*")]) {
      for (const attribute of el.attributes) {
        const name = attribute.name.toLowerCase();
        const value = attribute.value.replace(/[\\s\\u0000-\\u0020]+/g, "").toLowerCase();
        if (name.startsWith("on")) say("handler " + name, el);
        if (name === "srcdoc" || name === "formaction" || name === "http-equiv") say(name, el);
        if (name === "style" && /expression|javascript:|behavior|-moz-binding|url\\(/.test(value)) {
          say("style", el);
        }
        if (urlAttributes.has(name) && badScheme.test(value)) say("url " + name, el);
      }
      if (el.localName === "script") {
        const type = (el.getAttribute("type") || "").toLowerCase();
        if (type === "application/ld+json" || type === "application/json") {
          try { JSON.parse(el.textContent); } catch (e) { say("broken JSON data", el); }
        } else if (!el.src || new URL(el.src).origin !== location.origin) {
          say("script", el);
        }
      }
      if (el.localName === "a" && el.hasAttribute("href")) {
        try {
          const protocol = new URL(el.getAttribute("href"), location.href).protocol;
          if (!["http:", "https:", "mailto:"].includes(protocol)) say("link " + protocol, el);
        } catch (e) { /* an address the browser cannot follow is inert */ }
      }
    }
  }
  let containers = 0;
  for (const box of document.querySelectorAll(content)) {
    containers += 1;
    for (const el of box.querySelectorAll("*")) {
      if (forbidden.has(el.localName) || el.namespaceURI !== "http://www.w3.org/1999/xhtml") {
        say("element", el);
      }
    }
  }
  return { roots: roots.length, containers, found };
}
"""


@dataclass
class Audit:
    """One browser page under watch; ``check`` fails nothing, it returns what it saw."""

    page: object
    origin: str
    dialogs: list = field(default_factory=list)
    foreign_requests: list = field(default_factory=list)
    foreign_pictures: list = field(default_factory=list)
    console_errors: list = field(default_factory=list)
    pages: int = 0

    def __post_init__(self):
        page = self.page
        page.add_init_script(SENTINEL_SCRIPT)
        page.on("dialog", self._dialog)
        page.on("console", self._console)
        page.route(lambda url: not url.startswith(self.origin), self._foreign)

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message[:200]} at {self.page.url}")
        dialog.dismiss()

    def _console(self, message):
        if message.type == "error":
            self.console_errors.append(f"{message.text[:300]} at {self.page.url}")

    def _foreign(self, route, request):
        # Pictures on other sites are allowed in articles (the policy's img-src https:);
        # anything else leaving the site is a payload at work. Nothing really leaves.
        entry = f"{request.resource_type} {request.url[:200]} from {self.page.url}"
        if request.resource_type == "image":
            self.foreign_pictures.append(entry)
        else:
            self.foreign_requests.append(entry)
        route.abort()

    def visit(self, url: str, *, scope: str = "body", content: str) -> dict:
        """Load ``url`` and return the DOM audit, with what the page's script noted."""
        response = self.page.goto(url, wait_until="load")
        assert response is not None and response.status == 200, (url, response and response.status)
        self.pages += 1
        return self.check(scope=scope, content=content)

    def check(self, *, scope: str = "body", content: str) -> dict:
        result = self.page.evaluate(AUDIT_SCRIPT, [scope, content])
        result["noted"] = self.page.evaluate("() => Array.from(window.__xss)")
        return result
