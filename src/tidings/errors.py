"""Coded errors. Every message starts with its code and says how to fix the problem.

    TidingsError
     ├── InputError      (E0xx) a bad input item: rejected with a reason, the batch goes on
     ├── ModelError      (E1xx) a model or data file is missing
     ├── StoreError      (E2xx) the database cannot be opened or written
     └── UsageError      (E3xx) a bad option or argument given by the user
    api.errors.ApiError  (E5xx) an HTTP request the REST API refuses (status and code in JSON)

:data:`CATALOGUE` is the one list of codes: what each means and which class raises it.
``tests/test_errors.py`` reads every coded message raised in ``src/tidings`` and fails on a code
missing here or raised by another class, so a code keeps one meaning. ``TidingsError.code`` is
the code of the message it was raised with.
"""

from __future__ import annotations

import re

#: every error code: (the class that raises it, what it means)
CATALOGUE: dict[str, tuple[str, str]] = {
    "E002": ("InputError", "a feed source holds no feed"),
    "E003": ("InputError", "an XML document that is neither RSS nor Atom"),
    "E004": ("InputError", "a feed file that does not exist or cannot be read"),
    "E005": ("InputError", "broken feed XML, read leniently: the items before the damage are kept"),
    "E006": ("InputError", "a feed URL that cannot be fetched (HTTP error or unreachable)"),
    "E007": ("InputError", "a feed over the TIDINGS_MAX_BYTES limit"),
    "E008": ("InputError", "a feed that declares XML entities (refused: entity expansion)"),
    "E020": ("InputError", "a GeoNames dump that is not a readable zip file"),
    "E021": ("InputError", "a GeoNames zip that holds no GeoNames table"),
    "E022": ("InputError", "a gazetteer import file that is not UTF-8 text"),
    "E023": ("InputError", "a malformed row of a gazetteer import file (file and line named)"),
    "E024": ("InputError", "an alternate-names or places.csv file whose header lacks a column"),
    "E101": ("ModelError", "the English spaCy pipeline is not installed"),
    "E102": ("ModelError", "the PLOVER trigger lexicon is missing from the package"),
    "E103": ("ModelError", "a data file is missing from the package"),
    "E104": ("ModelError", "the French spaCy pipeline is not installed"),
    "E105": ("ModelError", "TIDINGS_GAZETTEER is not a gazetteer written by"
                           " `tidings gazetteer import`"),
    "E106": ("ModelError", "an imported gazetteer of another format: import it again"),
    "E107": ("ModelError", "TIDINGS_GAZETTEER names a file that does not exist"),
    "E201": ("StoreError", "a database without tidings tables"),
    "E202": ("StoreError", "the folder of a database file does not exist"),
    "E203": ("StoreError", "a database that cannot be opened"),
    "E204": ("StoreError", "a full-text query the database cannot parse"),
    "E205": ("StoreError", "PostgreSQL support needs psycopg"),
    "E206": ("StoreError", "the SQLite and PostgreSQL migrations differ in versions"),
    "E207": ("StoreError", "a store written by a newer tidings, or near-duplicates that kept "
                           "changing while an article was stored"),
    "E210": ("StoreError", "a review of an event that was reviewed since (a stale version)"),
    "E211": ("StoreError", "a review of an event that is not in the store"),
    "E212": ("StoreError", "a review with an unknown status or field, a bad value or no reviewer"),
    "E213": ("StoreError", "a place edit that is not a place (no name, coordinates out of range,"
                           " a bad country, geonameid or kind)"),
    "E214": ("StoreError", "an actor edit (source, target) with no name, a bad country or an"
                           " unknown sector"),
    "E301": ("UsageError", "an unknown pipeline stage"),
    "E302": ("UsageError", "a publication date that is not YYYY-MM-DD"),
    "E303": ("UsageError", "a date option that is not YYYY-MM-DD"),
    "E304": ("UsageError", "a file or folder argument that does not exist"),
    "E305": ("UsageError", "an unknown --format of extract"),
    "E306": ("UsageError", "an unknown event --type (or a missing database for serve)"),
    "E307": ("UsageError", "an unknown --modality (or a serve token that is too short)"),
    "E308": ("UsageError", "no article with that id or prefix"),
    "E309": ("UsageError", "a negative --workers"),
    "E310": ("UsageError", "an evaluation folder without gold.jsonl"),
    "E311": ("UsageError", "an unknown --lang"),
    "E312": ("UsageError", "a --min-confidence outside 0..1"),
    "E320": ("UsageError", "a bad --every interval of watch"),
    "E321": ("UsageError", "Parquet export needs pyarrow"),
    "E322": ("UsageError", "an unknown export --format"),
    "E323": ("UsageError", "an unknown export --profile"),
    "E324": ("UsageError", "the folder of an export file does not exist"),
    "E325": ("UsageError", "export --output names a folder, not a file"),
    "E326": ("UsageError", "an export file that cannot be written (permissions, disk full...)"),
    "E327": ("UsageError", "export without --format, or --corrections with a format other"
                           " than jsonl"),
    "E328": ("UsageError", "a corrections file that cannot be read or is not corrections"),
    "E329": ("UsageError", "the annotated data a training command reads is not there"),
    "E330": ("UsageError", "a classify_many item that is not a sentence or a dyad tuple"),
    "E340": ("UsageError", "no Spark input files among the paths"),
    "E341": ("UsageError", "`tidings spark` needs PySpark"),
    "E342": ("UsageError", "a folder that is not `tidings spark` output"),
    "E343": ("UsageError", "--partitions below 1"),
    "E350": ("UsageError", "an unknown coding rule"),
    "E351": ("UsageError", "--without-rule on a PLV TSV (it applies to gold records)"),
    "E352": ("UsageError", "an unknown --split of the gold records (dev, test)"),
    "E353": ("UsageError", "--split on a PLV TSV (it applies to gold records)"),
    "E354": ("UsageError", "an unknown --half of the TimeML anchoring split (dev, test)"),
    "E360": ("UsageError", "review without --reviewer where the login name is unknown"),
    "E361": ("UsageError", "review --limit below 1"),
    "E362": ("UsageError", "an unknown review --type"),
    "E370": ("UsageError", "`tidings gazetteer import` without a dump or places file"),
    "E371": ("UsageError", "a gazetteer import file that does not exist or cannot be read"),
    "E372": ("UsageError", "--feature-classes with letters that are not GeoNames classes"),
    "E501": ("ApiError", "a bad query parameter"),
    "E500": ("ApiError", "an unexpected server error (JSON answer; details in the server log)"),
    "E502": ("ApiError", "an invalid pagination cursor, or one of another sort order"),
    "E503": ("ApiError", "a bad request (value out of range, bad cursor)"),
    "E504": ("ApiError", "no such event"),
    "E510": ("ApiError", "writes (ingest, review) are disabled on this server (no token set)"),
    "E511": ("ApiError", "a missing or wrong bearer token"),
    "E512": ("ApiError", "a request body over the size limit"),
    "E513": ("ApiError", "a request body that is not the expected JSON"),
    "E514": ("ValueError", "an API token that is too short"),
    "E515": ("ApiError", "a request body sent without Content-Type: application/json"),
    "E520": ("ApiError", "a review of an event that was reviewed since (409)"),
    "E521": ("ApiError", "a request body that is not a valid review (422)"),
    "E522": ("ApiError", "the gazetteer cannot be loaded on this server (503)"),
}
_CODE = re.compile(r"^(E\d{3})\b")


class TidingsError(Exception):
    """Base class of tidings' errors; ``code`` is the code its message starts with."""

    code = "E000"

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        m = _CODE.match(str(args[-1])) if args else None
        if m:
            self.code = m.group(1)


class InputError(TidingsError):
    """An input item that cannot be read; carries a short machine-readable reason."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class ModelError(TidingsError):
    pass


class StoreError(TidingsError):
    pass


class UsageError(TidingsError):
    pass
