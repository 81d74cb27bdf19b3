"""Line precision and recall of web page extraction on the labelled fixture pages.

    python -m evals.extraction                 # tests/assistant/intake/fixtures/pages
    python -m evals.extraction --show PAGE     # and the text extracted from one page

Each fixture `NAME.html` has a sidecar `NAME.yaml`: the URL it was fetched from, the article's
paragraphs and headings (`article`), lines that must never come through (`boilerplate`) and
the metadata expected (`expect`). A paragraph of the extracted text is correct when it is one
of the article's lines (whitespace aside); recall is the share of article lines that come
through whole.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.intake.pages import Page, read_page

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "assistant" / "intake" / "fixtures" / "pages"


@dataclass(frozen=True)
class Fixture:
    name: str
    html: bytes
    url: str
    article: tuple[str, ...]
    boilerplate: tuple[str, ...]
    expect: dict[str, Any]
    same_as: str | None


@dataclass(frozen=True)
class Score:
    name: str
    lines: int  # paragraphs extracted
    correct: int  # of them, article lines
    article: int  # article lines
    found: int  # of them, extracted whole
    leaked: tuple[str, ...]  # boilerplate lines that came through

    @property
    def precision(self) -> float:
        return self.correct / self.lines if self.lines else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.article if self.article else 1.0


def _norm(line: str) -> str:
    return " ".join(line.split())


def load_fixtures(folder: Path = FIXTURES) -> list[Fixture]:
    fixtures = []
    for html in sorted(folder.glob("*.html")):
        side = yaml.safe_load(html.with_suffix(".yaml").read_text(encoding="utf-8"))
        fixtures.append(
            Fixture(
                name=html.stem, html=html.read_bytes(), url=side["url"],
                article=tuple(_norm(str(x)) for x in side["article"]),
                boilerplate=tuple(_norm(str(x)) for x in side.get("boilerplate") or ()),
                expect=dict(side.get("expect") or {}), same_as=side.get("same_as"),
            )
        )  # fmt: skip
    return fixtures


def extracted_lines(page: Page) -> list[str]:
    return [_norm(p) for p in page.document.text.split("\n\n") if p.strip()]


def score(fixture: Fixture, page: Page) -> Score:
    lines = extracted_lines(page)
    article = set(fixture.article)
    present = set(lines)
    leaked = tuple(b for b in fixture.boilerplate if b in present or b in page.document.text)
    return Score(
        fixture.name, len(lines), sum(1 for line in lines if line in article),
        len(article), sum(1 for line in article if line in present), leaked,
    )  # fmt: skip


def measure(fixtures: Sequence[Fixture]) -> list[Score]:
    return [score(f, read_page(f.html, f.url)) for f in fixtures]


def render(scores: Sequence[Score]) -> str:
    rows = [f"{'page':38} {'lines':>5} {'precision':>9} {'recall':>6}  leaked"]
    for s in scores:
        rows.append(f"{s.name:38} {s.lines:5d} {s.precision:9.3f} {s.recall:6.3f}  {len(s.leaked)}")
    lines, correct = sum(s.lines for s in scores), sum(s.correct for s in scores)
    article, found = sum(s.article for s in scores), sum(s.found for s in scores)
    rows.append(
        f"{'overall (' + str(len(scores)) + ' pages, by line)':38} {lines:5d} "
        f"{correct / max(lines, 1):9.3f} {found / max(article, 1):6.3f}  "
        f"{sum(len(s.leaked) for s in scores)}"
    )
    return "\n".join(rows) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.extraction", description=__doc__)
    parser.add_argument("--fixtures", type=Path, default=FIXTURES)
    parser.add_argument("--show", metavar="PAGE", help="print the text extracted from PAGE")
    args = parser.parse_args(argv)
    fixtures = load_fixtures(args.fixtures)
    scores = measure(fixtures)
    sys.stdout.write(render(scores))
    for s in scores:
        for line in s.leaked:
            sys.stdout.write(f"  {s.name}: boilerplate kept: {line[:90]}\n")
    if args.show:
        fixture = next(f for f in fixtures if f.name == args.show)
        sys.stdout.write("\n" + read_page(fixture.html, fixture.url).document.text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
