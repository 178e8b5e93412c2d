"""An installed wheel carries the ontology and the bundled data, so the
service starts outside a checkout too."""
from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from tests.support.processes import REPO


@pytest.mark.slow
def test_the_wheel_carries_the_ontology_and_data(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(tmp_path), str(REPO)], check=True, timeout=600)
    wheel = next(tmp_path.glob("partnergraph-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("graph/_bundled/ontology/partnergraph.ttl",
                     "graph/_bundled/ontology/themes.ttl",
                     "graph/_bundled/ontology/shapes.ttl",
                     "graph/_bundled/data/seeds/borlange.ttl",
                     "graph/_bundled/data/seeds/ljusdal.ttl",
                     "graph/_bundled/data/reference/countries.ttl",
                     "server/templates/base.html",
                     "server/static/partnergraph.css"):
        assert expected in names, expected
    assert not [n for n in names if n.startswith("tests/")]
