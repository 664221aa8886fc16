"""Every translatable string is reachable by makemessages.

makemessages (xgettext) only extracts calls to `_` and the gettext family under
their own names; a string wrapped in an alias such as `_l` is never put in the
catalogue and stays English on Indonesian pages.
"""

from __future__ import annotations

import re
from pathlib import Path

import padu

GETTEXT_FUNCTIONS = {
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
EXTRACTED_NAMES = GETTEXT_FUNCTIONS | {"_"}

IMPORT = re.compile(
    r"^\s*from\s+django\.utils\.translation\s+import\s+(\([^)]*\)|[^\n]*)", re.MULTILINE
)
ASSIGNMENT = re.compile(
    r"^\s*(\w+)\s*=\s*(?:translation\.)?(" + "|".join(sorted(GETTEXT_FUNCTIONS)) + r")\s*$",
    re.MULTILINE,
)


def bad_aliases(source: str) -> list[str]:
    """The gettext functions imported or assigned under a name makemessages ignores."""
    found = []
    for match in IMPORT.finditer(source):
        names = match.group(1).strip("()").split("#")[0]
        for part in names.split(","):
            words = part.split()
            if (
                len(words) == 3
                and words[1] == "as"
                and words[0] in GETTEXT_FUNCTIONS
                and words[2] not in EXTRACTED_NAMES
            ):
                found.append(f"{words[0]} as {words[2]}")
    for match in ASSIGNMENT.finditer(source):
        if match.group(1) not in EXTRACTED_NAMES:
            found.append(f"{match.group(1)} = {match.group(2)}")
    return found


def test_the_scan_finds_aliases() -> None:
    assert bad_aliases("from django.utils.translation import gettext_lazy as _l\n") == [
        "gettext_lazy as _l"
    ]
    assert bad_aliases(
        "from django.utils.translation import (\n    gettext as _,\n    ngettext as _n,\n)\n"
    ) == ["ngettext as _n"]
    assert bad_aliases("_lazy = gettext_lazy\n") == ["_lazy = gettext_lazy"]
    assert bad_aliases("from django.utils.translation import gettext as _\n") == []
    assert bad_aliases("from django.utils.translation import gettext_lazy\n") == []
    assert bad_aliases("from django.utils.translation import override\n") == []


def test_no_module_hides_gettext_under_an_alias() -> None:
    root = Path(padu.__file__).parent
    offenders = {
        str(path.relative_to(root)): aliases
        for path in sorted(root.rglob("*.py"))
        if (aliases := bad_aliases(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
