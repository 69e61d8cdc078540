"""Synthetic reference files of any size, for the import job tests and benchmarks/import_job.py.

Every record has its own DOI, PMID and title, so a file of N records imports N references.
12,000 records make a RIS file of about 4.9 MB, just under the 5 MB upload limit.
"""

WORDS = ("muscle", "cramp", "heat", "fluid", "sodium", "exercise", "renal", "cohort", "risk")


def synthetic_ris(count: int, *, first: int = 0, tag: str = "synth") -> bytes:
    """``count`` complete RIS records numbered from ``first``; ``tag`` changes DOIs and titles;
    files meant to share no reference also need different ``first`` (the PMIDs)."""
    records = []
    for number in range(first, first + count):
        words = " ".join(WORDS[(number + shift) % len(WORDS)] for shift in range(12))
        authors = "".join(f"AU  - Author{number}-{k}, A. B.\n" for k in range(3))
        records.append(
            f"TY  - JOUR\n{authors}"
            f"TI  - {words} study number {number} of {tag}\n"
            f"T2  - Journal of Synthetic Medicine {number % 50}\n"
            "J2  - J Synth Med\n"
            f"PY  - {1950 + number % 70}/02//\n"
            f"VL  - {number % 90}\nIS  - {number % 12}\nSP  - {number}\nEP  - {number + 9}\n"
            f"DO  - 10.5555/{tag}.{number}\n"
            f"AN  - PMID: {30000000 + number}\n"
            "KW  - Practice Guideline\n"
            f"UR  - https://doi.org/10.5555/{tag}.{number}\n"
            "ER  - \n\n"
        )
    return "".join(records).encode()
