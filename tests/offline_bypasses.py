"""Pages that tried to get past the exported pages' offline check (reliability re-review, issue 22, R3).

Each is a snippet for a page's <body>, keyed by the review's case id. Shared by test_export.py (the check
refuses them) and test_export_browser.py (Chromium makes no remote request for any page the check passes).
"""

REFUSED = {
    "O1 CSS escape in url()": '<div style="background:url(\\68ttps://e.example/a.png)">x</div>',
    "O2 image-set()": "<div style=\"background-image:image-set('https://e.example/b.png' 1x)\">x</div>",
    "O3 markup in an SVG <style>": "<svg><style><img src=https://e.example/c.png></style></svg>",
    "O4 <!---> ends a comment": "<!---><img src=https://e.example/d.png>-->",
    "O5 --!> ends a comment": "<!-- --!><img src=https://e.example/e.png>-->",
    "O6 iframe srcdoc": '<iframe srcdoc="<img src=https://e.example/f.png>"></iframe>',
    "O7 a ping": '<a href="#x" ping="https://e.example/g">x</a>',
    "O8 form action": '<form action="https://e.example/h"><button>go</button></form>',
    "O9 meta refresh with a trailing space": '<meta http-equiv="refresh " content="0;url=https://e.example/i">',
    "O14 CSS escape in @import": '<style>@import "\\68ttps://e.example/n.css";</style>',
    "O15 comment between url and (": "<style>body{background:url/**/(https://e.example/o.png)}</style>",
    "O19 fetch() in a classic script": '<script>fetch("https://e.example/s")</script>',
    "O20 new Image() in a classic script": '<script>new Image().src="https://e.example/t"</script>',
    "O22 /\\ is //": '<img src="/\\e.example/v.png">',
    "O25 import map": (
        '<script type="importmap">{"imports":{"a":"https://e.example/y.js"}}</script>'
        '<script type=module>import "a"</script>'
    ),
    "O26 CSS escape in the url name": "<style>div{background:u\\rl(https://e.example/z.png)}</style>",
    "O29 new Worker()": '<script>new Worker("https://e.example/w.js")</script>',
    "O33 noscript read as text": ('<noscript><p title="</noscript><img src=https://e.example/ns.png>"></noscript>'),
    # the review's forms that the old check caught too
    "O10 META REFRESH in capitals": '<META HTTP-EQUIV="REFRESH" CONTENT="0; URL=https://e.example/j">',
    "O11 link preload": '<link rel=preload as=image href="https://e.example/k.png">',
    "O12 SRC in capitals after spaces": '<IMG SRC="  HTTPS://e.example/l.png">',
    "O13 srcset after a data: URL": '<img srcset="data:,a 1x,https://e.example/m.png 2x">',
    "O16 SVG image xlink:href": '<svg><image xlink:href="https://e.example/p.png"/></svg>',
    "O17 SVG feImage": '<svg><filter id=f><feImage href="https://e.example/q.png"/></filter></svg>',
    "O18 object data": '<object data="https://e.example/r"></object>',
    "O21 backslashes after the scheme": '<img src="https:\\\\e.example\\u.png">',
    "O23 tab in the scheme": '<img src="ht\ttps://e.example/w.png">',
    "O24 <img/src>": "<img/src=https://e.example/x.png>",
    "O27 link icon": '<link rel=icon href="https://e.example/fav.ico">',
    "O28 video source": '<video><source src="https://e.example/v.mp4"></video>',
    "O30 entity in a style attribute": '<div style="background:url(&#x68;ttps://e.example/ent.png)">x</div>',
    "O31 spaces inside url()": '<style>div{background:url( "https://e.example/sp.png" )}</style>',
    # new forms of the same classes
    "CSS comment and newline inside url()": "<style>a{background:url(\n/**/'https://e.example/1.png')}</style>",
    "-webkit-image-set() in a style attribute": (
        '<p style="background:-webkit-image-set(url(//e.example/2.png) 1x)">x</p>'
    ),
    "SVG presentation attribute": '<svg><rect fill="url(https://e.example/3.svg#p)"/></svg>',
    "SVG animation sets a remote href": (
        '<svg><image href="a.png"><set attributeName="href" to="https://e.example/4.png"/></image></svg>'
    ),
    "button formaction": '<form><button formaction="https://e.example/5">go</button></form>',
    "event handler": '<img src="x.png" onerror="this.src=\'https://e.example/6.png\'">',
    "srcdoc inside srcdoc": (
        "<iframe srcdoc=\"<iframe srcdoc='&lt;img src=https://e.example/7.png&gt;'></iframe>\"></iframe>"
    ),
    "entity-encoded refresh": '<meta http-equiv="Refresh" content="0;&#x55;RL=https://e.example/8">',
    "base href": '<base href="https://e.example/">',
}

# Forms the check passes because a browser fetches nothing from them (the Chromium test proves it).
PASSED = {
    "O32 <style> inside MathML's HTML table is raw text": (
        "<math><mtext><table><mglyph><style><img src=https://e.example/mx.png>"
    ),
    "O34 markup in a textarea is text": "<textarea><img src=https://e.example/ta.png></textarea>",
    "a link out (followed only on a click)": '<a href="https://e.example/link">a source</a>',
    "XML namespace names": (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><use href="#c"/></svg>'
    ),
    "@namespace names a namespace": "<style>@namespace svg url(http://www.w3.org/2000/svg);</style>",
}


def page(snippet: str) -> str:
    return f"<!DOCTYPE html><html><head><title>case</title></head><body>{snippet}</body></html>"
