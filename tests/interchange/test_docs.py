"""docs/import-export.md is kept honest: its table of headers is the one the importer uses, and it names
every limit the importer reads from the settings."""

import re
from pathlib import Path

from actiontrack.interchange.importing import safety
from actiontrack.interchange.importing.columns import FIELDS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "import-export.md").read_text()


def test_the_table_of_headers_lists_exactly_the_synonyms_recognised():
    rows = dict(re.findall(r"^\| ([A-Z][a-z ]+) \| ([a-z, ]+) \|$", DOC, re.M))
    assert rows == {f.label: ", ".join(f.synonyms) for f in FIELDS}


def test_every_limit_the_importer_reads_is_documented_with_its_default():
    source = Path(safety.__file__).read_text()
    limits = dict(re.findall(r'getattr\(settings, "([A-Z_]+)", ([\d_]+)\)', source))
    assert set(limits) == {"IMPORT_MAX_MB", "IMPORT_MAX_ROWS", "IMPORT_MAX_UNPACKED_MB", "IMPORT_MAX_ZIP_RATIO"}
    for name, default in limits.items():
        assert re.search(rf"`{name}` \(default {int(default):,}", DOC), name
