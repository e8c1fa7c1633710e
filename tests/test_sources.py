"""Citations of docs/sources.md name sections that exist, and nothing cites the external REFERENCE.md."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "docs" / "sources.md"
CITING_DIRS = ("conf", "docs", "sim")
TEXT_SUFFIXES = {".yaml", ".yml", ".md", ".py", ".txt", ".toml", ".cfg"}

# `docs/sources.md#anchor` from conf/ and sim/, `sources.md#anchor` from a link inside docs/.
CITATION = re.compile(r"(?<![\w-])sources\.md#([\w-]*)")
# `](#anchor)`: a link from docs/sources.md to one of its own sections.
SELF_LINK = re.compile(r"\]\(#([\w-]*)\)")


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(markdown: str) -> set[str]:
    """The anchors of every heading of a Markdown text (a repeated heading gets -1, -2, ...)."""
    seen: dict[str, int] = {}
    out = set()
    in_code = False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
            continue
        m = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if in_code or not m:
            continue
        base = slug(m.group(1))
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.add(base if n == 0 else f"{base}-{n}")
    return out


def citing_files() -> list[Path]:
    files = [p for d in CITING_DIRS for p in sorted((ROOT / d).rglob("*")) if p.is_file() and p.suffix in TEXT_SUFFIXES]
    return [*files, ROOT / "README.md"]


def citations() -> list[tuple[str, int, str]]:
    """(file, line, anchor) for every cited section of docs/sources.md."""
    found = []
    for path in citing_files():
        rel = path.relative_to(ROOT).as_posix()
        for i, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            found += [(rel, i, a) for a in CITATION.findall(line)]
            if path == SOURCES:
                found += [(rel, i, a) for a in SELF_LINK.findall(line)]
    return found


def test_slug_follows_github_rules():
    assert slug("SIPRI military expenditure") == "sipri-military-expenditure"
    assert slug("July 2020 Tavush-Tovuz") == "july-2020-tavush-tovuz"
    assert slug("Dupuy's QJM factors (1985)!") == "dupuys-qjm-factors-1985"
    assert anchors("# A\n## B c\n## B c\n```\n# not a heading\n```\n") == {"a", "b-c", "b-c-1"}


def test_every_cited_section_exists():
    sections = anchors(SOURCES.read_text(encoding="utf-8"))
    cited = citations()
    assert len(cited) >= 40, f"only {len(cited)} citations of docs/sources.md found; is the pattern right?"
    broken = [f"{f}:{i}: #{a}" for f, i, a in cited if a not in sections]
    assert not broken, "citations of docs/sources.md sections that do not exist:\n" + "\n".join(broken)


def test_nothing_cites_the_external_reference():
    hits = []
    for path in citing_files():
        for i, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if "REFERENCE.md" in line:
                hits.append(f"{path.relative_to(ROOT).as_posix()}:{i}")
    assert not hits, "cite a section of docs/sources.md instead of REFERENCE.md:\n" + "\n".join(hits)
