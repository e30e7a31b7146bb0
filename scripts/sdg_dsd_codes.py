"""How src/wpsmonitor/publishing/sdg_dsd_codes.json (the SDG code lists our SDMX file is checked
against) was made. Run once, offline, by hand; tests read the small file it writes.

Source: the SDG global data structure IAEG-SDGs:SDG(1.14), as the SDMX global registry served it
on 2023-08-20 (SDMX-ML 2.1 structure message, with its code lists), committed unchanged in the
open-sdg/sdg-build repository as `tests/assets/data/sdmx/dsd.xml` by commit
0b450bf08529dce715bcce32600c709e205324a7 ("Version global dsd", 2023-08-20; removed again by the
next commit, so read it at that commit):

    git -C sdg-build show 0b450bf08529dce715bcce32600c709e205324a7:tests/assets/data/sdmx/dsd.xml > dsd.xml
    python scripts/sdg_dsd_codes.py dsd.xml src/wpsmonitor/publishing/sdg_dsd_codes.json

It keeps the structure's dimensions and attributes, each code list a dimension or attribute we
fill uses (code and English name), and, from the long lists (series, areas), the ids only.
"""

from __future__ import annotations

import hashlib
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

STRUCTURE = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure}"
COMMON = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common}"
MESSAGE = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message}"
# Code lists kept with their names; CL_SERIES and CL_AREA by id only (hundreds of codes).
NAMED = (
    "CL_FREQ",
    "CL_REPORTING_TYPE",
    "CL_SEX",
    "CL_AGE",
    "CL_URBANISATION",
    "CL_DISABILITY",
    "CL_UNIT_MEASURE",
    "CL_OBS_STATUS",
)
IDS_ONLY = ("CL_SERIES", "CL_AREA")


def main(source: Path, target: Path) -> None:
    raw = source.read_bytes()
    root = ET.fromstring(raw)
    dsd = next(root.iter(f"{STRUCTURE}DataStructure"))
    components = dsd.find(f"{STRUCTURE}DataStructureComponents")
    assert components is not None
    uses: dict[str, str] = {}
    dimensions, attributes = [], []
    for tag, out in (("DimensionList", dimensions), ("AttributeList", attributes)):
        for item in components.find(STRUCTURE + tag) or []:
            out.append(item.get("id"))
            ref = item.find(f"{STRUCTURE}LocalRepresentation/{STRUCTURE}Enumeration/Ref")
            if ref is not None:
                uses[str(item.get("id"))] = (
                    f"{ref.get('agencyID')}:{ref.get('id')}({ref.get('version')})"
                )
    lists: dict[str, dict[str, object]] = {}
    for codelist in root.iter(f"{STRUCTURE}Codelist"):
        name = codelist.get("id", "")
        if name not in NAMED + IDS_ONLY:
            continue
        codes = codelist.findall(f"{STRUCTURE}Code")
        lists[name] = {
            "urn": codelist.get("urn"),
            "codes": (
                {c.get("id"): c.findtext(f"{COMMON}Name") for c in codes}
                if name in NAMED
                else sorted(str(c.get("id")) for c in codes)
            ),
        }
    prepared = root.findtext(f"{MESSAGE}Header/{MESSAGE}Prepared")
    out = {
        "source": {
            "structure": dsd.get("urn"),
            "prepared": prepared,
            "repository": "https://github.com/open-sdg/sdg-build",
            "path": "tests/assets/data/sdmx/dsd.xml",
            "commit": "0b450bf08529dce715bcce32600c709e205324a7",
            "sha256": hashlib.sha256(raw).hexdigest(),
            "made_by": "scripts/sdg_dsd_codes.py",
        },
        "dimensions": dimensions,
        "attributes": attributes,
        "code_list_of": uses,
        "code_lists": lists,
    }
    target.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
