"""The shape of the code: no module imports itself round a cycle, and none grows past one sitting.

`lint-imports` (see pyproject.toml) checks the layers and cycles between the parts of each package; this
checks cycles between single modules too, such as a package and one of its own modules, which that contract
does not see. Both read every import, including those inside functions.
"""

from __future__ import annotations

from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "coach", "storage")
MAX_MODULE_LINES = 460  # about 450; migrations are generated history and do not count


def test_no_module_imports_itself_through_others() -> None:
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    cycles = sorted(
        (importer, imported)
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
        if graph.chain_exists(importer=imported, imported=importer)
    )
    assert cycles == [], f"import cycles through: {cycles[:5]}"


def test_no_source_module_is_longer_than_one_sitting() -> None:
    sources = [
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.relative_to(ROOT).parts
    ]
    assert len(sources) > 50  # the walk found the code
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in sources
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert too_long == {}, "split these into modules a reader takes in at one sitting"
