"""Write the corpus: every fixture plan into files/, with its `<name>.expected.json` beside it.

    python -m tests.interchange.shapes.build

The same content every run (the files' bytes may differ: Office files carry timestamps)."""

from __future__ import annotations

import sys
from pathlib import Path

from .inspection_sheets import INSPECTION_SHEETS
from .spec import FILES, Fixture
from .tracker_sheets import TRACKERS
from .word_plans import WORD

ALL = [*WORD, *INSPECTION_SHEETS, *TRACKERS]
FIXTURES: dict[str, Fixture] = {fixture.name: fixture for fixture, _ in ALL}


def build(folder: Path = FILES) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for fixture, write in ALL:
        write(folder / fixture.file)
        written += [folder / fixture.file, fixture.write_expected(folder)]
    return written


def main() -> None:
    for path in build():
        sys.stdout.write(f"{path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}\n")


if __name__ == "__main__":
    main()
