#!/usr/bin/env python3
"""Render a JATS article (.nxml) as LaTeX or HTML, for making PDFs with other producers.

    bench/jats-to-pdf.py latex2col ARTICLE.nxml > article.tex   (pdflatex, two columns, CM fonts)
    bench/jats-to-pdf.py latex1col ARTICLE.nxml > article.tex   (pdflatex, one column, Times)
    bench/jats-to-pdf.py html ARTICLE.nxml > article.html      (for Chromium / LibreOffice)

Python 3 standard library only. What is rendered is what bench's eval-pdf scores (src/eval/pdf.rs):
title, authors, abstract and body paragraphs, section titles, figure and table captions, the
reference list, and citations (`xref ref-type="bibr"`) as numbers [n]. Formulas and table cells
are left out (the truth leaves formulas out and does not score table cells).
"""

import html
import re
import sys
import xml.etree.ElementTree as ET

MATHML = "{http://www.w3.org/1998/Math/MathML}"
# Elements whose text is part of the running text (as in src/eval/pdf.rs); others are blocks.
INLINE = {
    "italic", "bold", "sup", "sub", "sc", "underline", "monospace", "xref", "ext-link",
    "named-content", "styled-content", "uri", "abbrev", "inline-formula", "email", "sans-serif",
}
# Floats: rendered apart from the paragraph that holds them (their captions only).
FLOATS = {"fig", "fig-group", "table-wrap", "table-wrap-group", "boxed-text",
          "supplementary-material"}
# A section title's own number: "3.1. ", "2 ".
NUMBER = re.compile(r"^\d+(?:\.\d+)*\.?\s+(?=\S)")
CITE = "\x00CITE:{}\x00"  # placeholder for one cited reference id, merged into groups later


def local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class Article:
    """The parts of a JATS article that are rendered."""

    def __init__(self, root):
        meta = root.find("front/article-meta")
        self.ref_ids = []  # reference ids in list order: citation numbers are positions here
        self.refs = []  # reference texts
        for ref in root.iter("ref"):
            self.ref_ids.append(ref.get("id", ""))
            self.refs.append(reference_text(ref))
        self.number = {rid: i + 1 for i, rid in enumerate(self.ref_ids)}
        self.title = inline(meta.find("title-group/article-title"), self) if meta is not None else ""
        self.authors = []
        for contrib in root.iterfind("front/article-meta/contrib-group/contrib"):
            name = contrib.find("name")
            if contrib.get("contrib-type", "author") == "author" and name is not None:
                parts = [name.findtext("given-names", ""), name.findtext("surname", "")]
                self.authors.append(" ".join(p.strip() for p in parts if p.strip()))
        # The abstract: (heading or None, paragraphs) blocks; structured abstracts have heads.
        self.abstract = []
        abstract = meta.find("abstract") if meta is not None else None
        if abstract is not None:
            self.abstract = list(blocks(abstract, self, 0))
        body = root.find("body")
        self.body = list(blocks(body, self, 1)) if body is not None else []
        # Sub-articles (referee reports and responses, F1000Research's convention) have body
        # paragraphs that eval-pdf's truth counts: their paragraphs follow the body's.
        for sub in root.iter("sub-article"):
            sub_body = sub.find("body")
            if sub_body is not None:
                self.body.extend(blocks(sub_body, self, 1))
        # Back matter sections ("Conflict of Interests", acknowledgements), whose titles the
        # truth counts as headings; rendered unnumbered after the body, as journals set them.
        back = root.find("back")
        self.back = list(blocks(back, self, 1)) if back is not None else []


def blocks(node, art, depth):
    """Yield ("head", depth, text), ("p", text) and ("caption", label, text) in document order."""
    for child in node:
        tag = local(child.tag)
        if tag == "sec" or tag == "app" or tag == "ack":
            title = child.find("title")
            if title is not None:
                yield ("head", depth, inline(title, art))
            elif tag == "ack":
                yield ("head", depth, "Acknowledgments")
            yield from blocks(child, art, depth + 1)
        elif tag == "p":
            yield ("p", inline(child, art))
            # Floats and lists inside a paragraph come after it.
            for sub in child:
                if local(sub.tag) in FLOATS or local(sub.tag) == "list":
                    yield from blocks_of(sub, art, depth)
        elif tag in FLOATS or tag == "list" or tag == "app-group":
            yield from blocks_of(child, art, depth)


def blocks_of(node, art, depth):
    tag = local(node.tag)
    if tag in ("fig", "table-wrap", "supplementary-material", "boxed-text"):
        label = inline(node.find("label"), art)
        caption = node.find("caption")
        parts = []
        if caption is not None:
            for c in caption:
                parts.append(inline(c, art))
        if node.find("caption") is None and tag == "boxed-text":
            yield from blocks(node, art, depth)
            return
        yield ("caption", label, " ".join(p for p in parts if p))
    elif tag == "list":
        for item in node.iter("list-item"):
            for p in item.findall("p"):
                yield ("p", inline(p, art))
    else:
        yield from blocks(node, art, depth)


def inline(node, art):
    """Running text of an element: formulas and floats left out, citations as placeholders."""
    if node is None:
        return ""
    out = []

    def walk(n):
        for child in n:
            tag = local(child.tag)
            if child.tag.startswith(MATHML) or tag in ("tex-math", "disp-formula") or tag in FLOATS \
                    or tag == "list":
                out.append(" ")
            elif tag == "xref" and child.get("ref-type") == "bibr":
                text = "".join(child.itertext())
                ids = [i for i in child.get("rid", "").split() if art and i in art.number]
                # Numbered citations become placeholders; author-year ones keep their text.
                if ids and not re.search(r"[^\W\d_]", text):
                    out.extend(CITE.format(i) for i in ids)
                else:
                    out.append(text)
            elif tag in ("surname", "given-names", "name", "person-group", "year", "source"):
                out.append(" ")
                walk_text(child)
                out.append(" ")
            else:
                if tag not in INLINE:
                    out.append(" ")
                walk_text(child)
                if tag not in INLINE:
                    out.append(" ")
            out.append(child.tail or "")

    def walk_text(n):
        out.append(n.text or "")
        walk(n)

    walk_text(node)
    return " ".join("".join(out).split())


def reference_text(ref):
    """One reference entry as text: mixed citations as written, element citations formatted."""
    cit = None
    for c in ref:
        if local(c.tag) in ("mixed-citation", "element-citation", "citation", "nlm-citation"):
            cit = c
            break
    if cit is None:
        return " ".join("".join(ref.itertext()).split())
    # A mixed citation has text of its own (punctuation between elements, or all of it).
    mixed = (cit.text or "").strip() or any((c.tail or "").strip() for c in cit)
    if mixed:
        return inline(cit, None)
    names = []
    for name in cit.iter("name"):
        names.append(" ".join(x for x in (name.findtext("surname", ""),
                                         name.findtext("given-names", "")) if x))
    for collab in cit.iter("collab"):
        names.append("".join(collab.itertext()))
    parts = [", ".join(names)]
    for field in ("article-title", "chapter-title", "source"):
        el = cit.find(field)
        if el is not None:
            parts.append(" ".join("".join(el.itertext()).split()))
    where = cit.findtext("year", "")
    if cit.findtext("volume"):
        where += ";" + cit.findtext("volume")
    if cit.findtext("fpage"):
        where += ":" + cit.findtext("fpage")
        if cit.findtext("lpage"):
            where += "–" + cit.findtext("lpage")
    parts.append(where)
    if not any(p.strip() for p in parts):  # only a comment ("National Survey manual, URL")
        return " ".join("".join(cit.itertext()).split())
    return ". ".join(p.strip() for p in parts if p.strip()) + "."


# Citations: runs of placeholders with only brackets, commas and dashes between them are one
# group "[1, 2]" / "[3–5]" (a dash between two ids is a range in reference-list order).
GROUP = re.compile(r"[\[(]?\s*\x00CITE:[^\x00]*\x00(?:\s*[,;–-]\s*\x00CITE:[^\x00]*\x00)*\s*[\])]?")


def cite_groups(text, art, render):
    def one(m):
        ids, last, dash = [], None, False
        for tok in re.findall(r"\x00CITE:([^\x00]*)\x00|([–-])", m.group(0)):
            if tok[1]:
                dash = True
                continue
            n = art.number[tok[0]]
            if dash and last is not None and n > last:
                ids.extend(range(last + 1, n))
            ids.append(n)
            last, dash = n, False
        return render(sorted(set(ids)))
    return GROUP.sub(one, text)


def compress(numbers):
    """[1, 2, 3, 5] -> "1–3, 5"."""
    out, i = [], 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        out.append(f"{numbers[i]}–{numbers[j]}" if j >= i + 2 else
                   ", ".join(str(n) for n in numbers[i:j + 1]))
        i = j + 1
    return ", ".join(out)


# ---- LaTeX ----

TEX_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
                "#": r"\#", "%": r"\%", "_": r"\_", "^": r"\textasciicircum{}",
                "~": r"\textasciitilde{}", "<": r"\textless{}", ">": r"\textgreater{}",
                "\u00a0": "~", "\u2009": r"\,", "\u2002": " ", "\u2003": " "}
# Characters pdflatex's utf8 input has no text glyph for in OT1: set in math mode.
TEX_MATH = {"α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\epsilon",
            "κ": r"\kappa", "λ": r"\lambda", "μ": r"\mu", "ν": r"\nu", "χ": r"\chi",
            "Δ": r"\Delta", "σ": r"\sigma", "π": r"\pi", "τ": r"\tau", "ω": r"\omega",
            "≤": r"\leq", "≥": r"\geq", "−": "-", "∗": "*", "′": "'", "∼": r"\sim",
            "→": r"\rightarrow", "∞": r"\infty", "∑": r"\sum", "∶": ":", "◊": r"\diamond",
            "•": r"\bullet", "·": r"\cdot", "×": r"\times", "±": r"\pm", "°": r"^\circ",
            "²": "^2", "¹": "^1", "³": "^3", "≈": r"\approx", "≠": r"\neq", "†": r"\dagger",
            "‡": r"\ddagger", "µ": r"\mu", "𝒳": r"\mathcal{X}", "„": ",,"}


def tex(text):
    out = []
    for ch in text:
        if ch in TEX_SPECIALS:
            out.append(TEX_SPECIALS[ch])
        elif ch in TEX_MATH:
            out.append("\\ensuremath{" + TEX_MATH[ch] + "}")
        elif ch in "\u2060\u2061\u200b":  # invisible operators and zero-width spaces
            continue
        elif ch == "/":  # a line may break after a slash, as in a URL (no overfull lines)
            out.append("/\\allowbreak{}")
        else:
            out.append(ch)
    return "".join(out)


def tex_text(text, art):
    text = tex(text)  # the placeholders survive escaping (no specials in them)
    return cite_groups(text, art, lambda ns: r"\cite{" + ",".join(f"r{n}" for n in ns) + "}")


def latex(art, twocolumn):
    o = []
    o.append(r"\documentclass[%s]{article}" % ("twocolumn,10pt" if twocolumn else "11pt"))
    o.append(r"\usepackage[utf8]{inputenc}")
    if not twocolumn:
        o.append(r"\usepackage{mathptmx}")  # Times (URW Nimbus Type 1), a different encoding
        # No ToUnicode maps (as pdfTeX made them by default until 2021): text only through the
        # fonts' encodings and glyph names.
        o.append(r"\ifdefined\pdfgentounicode\pdfgentounicode=0\fi")
    o.append(r"\title{%s}" % tex_text(art.title, art))
    o.append(r"\author{%s}" % r" \and ".join(tex(a) for a in art.authors[:8]))
    o.append(r"\date{}")
    o.append(r"\begin{document}")
    o.append(r"\maketitle")
    if art.abstract:
        o.append(r"\begin{abstract}")
        for b in art.abstract:
            if b[0] == "head":  # structured abstract: run-in bold labels
                o.append(r"\noindent\textbf{%s}\par" % tex_text(b[2], art))
            elif b[0] == "p":
                o.append(tex_text(b[1], art) + "\n")
        o.append(r"\end{abstract}")
    commands = ["section", "subsection", "subsubsection", "paragraph"]
    for in_back, b in [(False, b) for b in art.body] + [(True, b) for b in art.back]:
        if b[0] == "head":
            # LaTeX numbers sections itself: a title's own number ("3.1. Effects") is left
            # out; back matter is unnumbered.
            o.append("\\%s%s{%s}" % (commands[min(b[1], 4) - 1], "*" if in_back else "",
                                       tex_text(NUMBER.sub("", b[2]), art)))
        elif b[0] == "p":
            o.append(tex_text(b[1], art) + "\n")
        elif b[0] == "caption" and b[2]:
            o.append(r"\begin{figure}[tbp]\fbox{\rule{0pt}{2em}\rule{0.9\columnwidth}{0pt}}"
                     r"\caption*{\textbf{%s} %s}\end{figure}" % (tex(b[1]), tex_text(b[2], art)))
    if art.refs:
        o.append(r"\begin{thebibliography}{%d}" % len(art.refs))
        for i, r in enumerate(art.refs):
            o.append(r"\bibitem{r%d} %s" % (i + 1, tex_text(r, art)))
        o.append(r"\end{thebibliography}")
    o.append(r"\end{document}")
    # \caption* without the caption package: define it as a plain caption paragraph.
    o.insert(1, r"\makeatletter\def\caption*#1{\par\small #1\par}\makeatother")
    return "\n".join(o) + "\n"


# ---- HTML ----

def html_text(text, art):
    text = html.escape(text, quote=False)
    return cite_groups(text, art, lambda ns: "[" + compress(ns) + "]")


def to_html(art):
    o = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
         "<title>%s</title>" % html.escape(art.title),
         "<style>body{font-family:serif;font-size:11pt;margin:0 1cm;line-height:1.35}"
         "h1{font-size:18pt}h2{font-size:14pt}h3{font-size:12pt}"
         ".authors{font-style:italic}.caption{font-size:9.5pt}"
         ".abstract{margin:1em 2em}</style></head><body>"]
    o.append("<h1>%s</h1>" % html_text(art.title, art))
    o.append('<p class="authors">%s</p>' % html.escape(", ".join(art.authors)))
    if art.abstract:
        o.append('<section class="abstract"><h2>Abstract</h2>')
        for b in art.abstract:
            if b[0] == "head":
                o.append("<p><b>%s</b></p>" % html_text(b[2], art))
            elif b[0] == "p":
                o.append("<p>%s</p>" % html_text(b[1], art))
        o.append("</section>")
    for b in art.body + art.back:
        if b[0] == "head":
            h = min(b[1] + 1, 6)
            o.append("<h%d>%s</h%d>" % (h, html_text(b[2], art), h))
        elif b[0] == "p":
            o.append("<p>%s</p>" % html_text(b[1], art))
        elif b[0] == "caption" and b[2]:
            o.append('<p class="caption"><b>%s</b> %s</p>' % (
                html.escape(b[1]), html_text(b[2], art)))
    if art.refs:
        o.append("<h2>References</h2><ol>")
        o.extend("<li>%s</li>" % html_text(r, art) for r in art.refs)
        o.append("</ol>")
    o.append("</body></html>")
    return "\n".join(o) + "\n"


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("latex2col", "latex1col", "html"):
        sys.exit(__doc__)
    try:
        root = ET.parse(sys.argv[2]).getroot()
    except (ET.ParseError, OSError) as e:
        sys.exit(f"{sys.argv[2]}: {e}")
    if root.tag != "article":
        sys.exit(f"{sys.argv[2]}: not a JATS article (root <{root.tag}>)")
    art = Article(root)
    if sys.argv[1] == "html":
        sys.stdout.write(to_html(art))
    else:
        sys.stdout.write(latex(art, sys.argv[1] == "latex2col"))


if __name__ == "__main__":
    main()
