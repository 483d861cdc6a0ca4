"""The vendored front end: no CDN, a licence in every vendor folder, no GOV.UK-only branding.

The files come from `bash frontend/build.sh` and are committed (design/ui.md, section 2).
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "qorgau"
STATIC = PACKAGE / "web" / "static"
VENDOR = STATIC / "vendor"
CSS = STATIC / "qorgau" / "qorgau.css"
NOTO = VENDOR / "noto-sans-5.3.0"

# A script's src or a <link>'s href (stylesheet, preload, modulepreload) that leaves the site.
REMOTE_ASSET = re.compile(
    r"""<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""",
    re.IGNORECASE,
)
REMOTE_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)

FONT_FILES = [
    f"noto-sans-{subset}-{weight}-normal.woff2"
    for weight in (400, 700)
    for subset in ("latin", "latin-ext", "cyrillic", "cyrillic-ext")
]


def templates() -> list[Path]:
    return sorted(PACKAGE.rglob("templates/**/*.html"))


def test_there_are_templates_to_check() -> None:
    assert any(path.name == "base.html" for path in templates())


@pytest.mark.parametrize("path", templates(), ids=lambda path: str(path.relative_to(PACKAGE)))
def test_no_template_loads_a_script_or_stylesheet_over_the_network(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not REMOTE_ASSET.search(text)
    assert not REMOTE_IMPORT.search(text)


def test_every_static_file_a_template_names_exists() -> None:
    names = {
        name
        for path in templates()
        for name in re.findall(
            r"""{%\s*static\s+["']([^"']+)["']""", path.read_text(encoding="utf-8")
        )
    }
    assert "qorgau/qorgau.css" in names
    missing = [name for name in names if not list(PACKAGE.glob(f"*/static/{name}"))]
    assert missing == []


def test_every_vendor_folder_has_a_licence() -> None:
    folders = [path for path in VENDOR.iterdir() if path.is_dir()]
    assert folders
    missing = [folder.name for folder in folders if not (folder / "LICENSE").is_file()]
    assert missing == []


def test_the_compiled_css_has_no_gov_uk_only_branding() -> None:
    css = CSS.read_text(encoding="utf-8")
    assert "gds transport" not in css.lower()
    assert "crest" not in css.lower()


def test_the_compiled_css_uses_noto_sans_and_stays_small() -> None:
    css = CSS.read_text(encoding="utf-8")
    assert '"Noto Sans"' in css
    assert CSS.stat().st_size < 200_000


def test_every_url_in_the_css_is_a_vendored_file() -> None:
    css = CSS.read_text(encoding="utf-8")
    urls = {url.strip("\"'") for url in re.findall(r"url\(([^)]*)\)", css)}
    assert urls
    for url in urls:
        assert url.startswith("/static/"), url
        assert (STATIC / url.removeprefix("/static/")).is_file(), url


@pytest.mark.parametrize("name", FONT_FILES)
def test_each_noto_sans_subset_is_vendored_and_declared(name: str) -> None:
    assert (NOTO / name).is_file()
    css = CSS.read_text(encoding="utf-8")
    face = re.search(r"@font-face\{[^}]*" + re.escape(name) + r"[^}]*\}", css)
    assert face is not None
    assert "unicode-range:" in face.group(0)
    assert "font-display:swap" in face.group(0)
