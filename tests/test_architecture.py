"""The shape of the code: no module imports itself round a cycle.

`lint-imports` (see pyproject.toml) checks the layers and cycles between the parts of each package; this
checks cycles between single modules too, such as a package and one of its own modules, which that contract
does not see. Both read every import, including those inside functions.
"""

from __future__ import annotations

from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "coach", "storage")


def test_no_module_imports_itself_through_others() -> None:
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    cycles = sorted(
        (importer, imported)
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
        if graph.chain_exists(importer=imported, imported=importer)
    )
    assert cycles == [], f"import cycles through: {cycles[:5]}"
