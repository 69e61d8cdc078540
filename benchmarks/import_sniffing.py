"""How long format sniffing and a whole import parse take on padded and garbage uploads.

Run: .venv/bin/python benchmarks/import_sniffing.py [N ...]   (default: 20000 40000 80000 200000)

Each upload is the three-record RIS fixture followed by N blank lines (issue 10's case), then a
few garbage shapes near the 5 MB limit. The "old" column runs the BibTeX entry pattern the
sniffer used before, whose leading ``\\s*`` could run across every following blank line from
each line start (quadratic); it is skipped past 40,000 lines, where it takes minutes.
"""

import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OLD_BIBTEX_ENTRY = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
OLD_LIMIT = 40_000


def seconds(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def main(sizes: list[int]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from citations.importers import ImportFileError, read_reference_file
    from citations.importers.decoding import sniff_formats

    good = (ROOT / "tests" / "fixtures" / "imports" / "good.ris").read_bytes()
    print(f"{'blank lines':>12} {'old sniff s':>12} {'sniff s':>8} {'full parse s':>13}")
    for n in sizes:
        data = good + b"\n" * n
        text = data.decode()
        old = f"{seconds(OLD_BIBTEX_ENTRY.search, text):.2f}" if n <= OLD_LIMIT else "skipped"
        print(
            f"{n:>12} {old:>12} {seconds(sniff_formats, text):>8.3f} "
            f"{seconds(read_reference_file, data, 'refs'):>13.3f}"
        )

    garbage = {
        "2000 lines of 2000 chars": (b"x" * 2000 + b"\n") * 2000,
        "one 4 MB line": b"@" + b"z" * (4 * 1024 * 1024),
        "300k lines of '@a'": b"@a\n" * 300_000,
    }
    print(f"\n{'after three BibTeX records':<28} {'full parse s':>13}")
    bib = (ROOT / "tests" / "fixtures" / "imports" / "good.bib").read_bytes()
    for label, tail in garbage.items():
        try:
            elapsed = seconds(read_reference_file, bib + tail, "refs.bib")
        except ImportFileError:
            elapsed = float("nan")
        print(f"{label:<28} {elapsed:>13.3f}")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [20_000, 40_000, 80_000, 200_000])
