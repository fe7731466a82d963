"""Write the part of the schema.org vocabulary that event pages use, for the tests that check an
event's JSON-LD against it (tests/support/schemaorg_event_vocabulary.json).

Usage: python scripts/schemaorg_subset.py TYPES.csv PROPERTIES.csv RELEASE > OUT.json
with the two CSV files of a schema.org release (data/releases/<release>/
schemaorg-current-https-types.csv and -properties.csv in the schemaorg/schemaorg repository).
"""

import csv
import json
import sys

TYPES = ["Event", "Place", "PostalAddress", "Organization", "Offer"]
SCHEMA = "https://schema.org/"


def short(url: str) -> str:
    return url.strip().removeprefix(SCHEMA)


def split(cell: str) -> list[str]:
    return [short(part) for part in cell.split(",") if part.strip()]


def main(types_csv: str, properties_csv: str, release: str) -> dict:
    csv.field_size_limit(sys.maxsize)
    with open(types_csv, newline="", encoding="utf-8") as handle:
        types = {short(row["id"]): row for row in csv.DictReader(handle)}
    with open(properties_csv, newline="", encoding="utf-8") as handle:
        properties = {short(row["id"]): row for row in csv.DictReader(handle)}

    def lineage(name: str) -> list[str]:
        seen, todo = [], [name]
        while todo:
            current = todo.pop()
            if current in seen or current not in types:
                continue
            seen.append(current)
            todo.extend(split(types[current]["subTypeOf"]))
        return seen

    allowed = {
        name: sorted({p for t in lineage(name) for p in split(types[t]["properties"])})
        for name in TYPES
    }
    used = {p for props in allowed.values() for p in props}
    ranges = {p: split(properties[p]["rangeIncludes"]) for p in sorted(used) if p in properties}
    enumerations: dict[str, list[str]] = {}
    for name, row in types.items():
        for enumeration in split(row["enumerationtype"]):
            enumerations.setdefault(enumeration, []).append(name)
    wanted = {r for rs in ranges.values() for r in rs if r in enumerations}
    return {
        "source": f"schema.org release {release} (schemaorg/schemaorg, Apache License 2.0)",
        "types": allowed,
        "ranges": ranges,
        "enumerations": {name: sorted(enumerations[name]) for name in sorted(wanted)},
    }


if __name__ == "__main__":
    json.dump(main(*sys.argv[1:4]), sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
    sys.stdout.write("\n")
