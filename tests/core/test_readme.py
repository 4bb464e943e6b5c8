"""The README's quick start is a promise: if it drifts from the Makefile or the settings, fail."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.any_database  # the SQLite run covers it (tests/conftest.py)

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def test_quick_start_commands_exist_in_the_makefile():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("run", "test"):
        assert f"make {target}" in README
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), f"Makefile has no '{target}' target"


def test_every_setting_read_from_the_environment_is_documented():
    settings_source = (ROOT / "src/coproduce/settings.py").read_text()
    used = set(re.findall(r"\"(COPRODUCE_[A-Z_]+)\"", settings_source))
    assert used, "settings.py reads no COPRODUCE_ variables?"
    missing = sorted(name for name in used if name not in README)
    assert not missing, f"README's configuration table lacks {missing}"


def test_demo_credentials_in_readme_match_the_demo():
    from coproduce.demo.loader import DEMO_HOST_EMAIL, DEMO_PASSWORD

    assert DEMO_HOST_EMAIL in README
    assert DEMO_PASSWORD in README


def test_screenshot_is_committed():
    assert (ROOT / "docs/space-page.png").stat().st_size > 10_000
