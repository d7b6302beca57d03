"""A strict reading of a public page with the standard library's parser: the document must be
well formed (every element closed in order, no stray end tag, unique ids), in Chinese
(``<html lang="zh-CN">``) and titled; the test then asks for its text, links and marked rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Page:
    lang: str | None = None
    title: str = ""
    text: str = ""
    links: list[str] = field(default_factory=list)
    classes: dict[str, list[str]] = field(default_factory=dict)  # class name → texts of the elements with it


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page, self.open, self.ids, self.problems = Page(), [], set(), []
        self.doctype = False
        self._texts: list[str] = []
        self._marked: list[tuple[str, int]] = []  # (class, index into _texts where it began)

    def handle_decl(self, decl: str) -> None:
        self.doctype = self.doctype or decl.lower() == "doctype html"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.page.lang = a.get("lang")
        if "id" in a:
            if a["id"] in self.ids:
                self.problems.append(f"duplicate id {a['id']}")
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.page.links.append(a["href"])
        if tag not in VOID:
            self.open.append((tag, [(c, len(self._texts)) for c in (a.get("class") or "").split()]))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.open or self.open[-1][0] != tag:
            self.problems.append(f"</{tag}> does not close {self.open[-1][0] if self.open else 'anything'}")
            return
        _, marks = self.open.pop()
        for name, start in marks:
            self.page.classes.setdefault(name, []).append(" ".join("".join(self._texts[start:]).split()))

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1][0] == "title":
            self.page.title += data
        if not self.open or self.open[-1][0] not in ("style", "script", "title"):
            self._texts.append(data)


def read(html: str) -> Page:
    """The page, or an AssertionError naming what makes it invalid."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    assert reader.doctype, "no <!DOCTYPE html>"
    assert not reader.open, f"unclosed elements: {[t for t, _ in reader.open]}"
    assert reader.problems == [], reader.problems
    assert reader.page.lang == "zh-CN", reader.page.lang
    assert reader.page.title.strip(), "no title"
    reader.page.text = " ".join("".join(reader._texts).split())
    return reader.page
