"""Rows into PostgreSQL with COPY: each table's column list in one place, in one order.

Columns are listed explicitly (never `SELECT *` order), so a column another change adds with
a database default (`version`, an audit hash) is filled by PostgreSQL; one that must be
computed here is added to its table's list and to the row builder.
"""

import datetime
import decimal
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

# Table -> columns, in the order the row builders produce them. The dict's order is the
# order of loading (parents before children).
TABLES: dict[str, tuple[str, ...]] = {
    "accounts_agency": (
        "id",
        "created_at",
        "updated_at",
        "name_kk",
        "name_ru",
        "name_en",
        "agency_type",
        "address",
        "phone",
        "is_active",
        "territory_id",
    ),
    "accounts_user": (
        "id",
        "password",
        "last_login",
        "is_superuser",
        "username",
        "first_name",
        "last_name",
        "email",
        "is_staff",
        "is_active",
        "date_joined",
        "patronymic",
        "position",
        "phone",
        "language",
        "agency_id",
        "session_generation",
    ),
    "accounts_user_groups": ("id", "user_id", "group_id"),
    "accounts_training": (
        "id",
        "created_at",
        "updated_at",
        "course",
        "provider",
        "completed_on",
        "hours",
        "certificate_number",
        "user_id",
    ),
    "defence_dutyshift": (
        "id",
        "created_at",
        "updated_at",
        "duty",
        "starts_at",
        "ends_at",
        "cancelled_at",
        "cancel_reason",
        "cancelled_by_id",
        "consultation_id",
        "created_by_id",
        "intern_id",
        "member_id",
        "territory_id",
    ),
    "people_juvenile": (
        "id",
        "created_at",
        "updated_at",
        "last_name",
        "first_name",
        "patronymic",
        "name_latin",
        "search_key",
        "iin",
        "no_iin_reason",
        "birth_date",
        "sex",
        "citizenship",
        "citizenship_country",
        "address",
        "school",
        "incomplete_family",
        "low_income_family",
        "large_family",
        "asocial_family",
        "family_notes",
        "address_territory_id",
        "registered_by_agency_id",
        "anonymised_at",
    ),
    "people_relative": (
        "id",
        "created_at",
        "updated_at",
        "last_name",
        "first_name",
        "patronymic",
        "relation",
        "is_legal_representative",
        "lives_with_child",
        "iin",
        "birth_date",
        "phone",
        "email",
        "address",
        "occupation",
        "notes",
        "juvenile_id",
    ),
    "proceedings_proceeding": (
        "id",
        "created_at",
        "updated_at",
        "number",
        "registered_on",
        "offence_at",
        "offence_place",
        "summary",
        "court_id",
        "investigator_id",
        "judge_id",
        "prosecutor_id",
        "registering_agency_id",
        "territory_id",
    ),
    "proceedings_accused": ("id", "stage", "pending", "added_at", "juvenile_id", "proceeding_id"),
    "proceedings_charge": (
        "id",
        "charged_at",
        "reason",
        "ended_at",
        "accused_id",
        "article_id",
        "charged_by_id",
        "requalified_from_id",
    ),
    "proceedings_participant": (
        "id",
        "created_at",
        "updated_at",
        "role",
        "full_name",
        "is_minor",
        "phone",
        "tried_in",
        "state_paid",
        "notes",
        "accused_id",
        "relative_id",
        "user_id",
        "proceeding_id",
    ),
    "proceedings_proceduralevent": (
        "id",
        "kind",
        "started_at",
        "ended_at",
        "recorded_at",
        "place",
        "performed_by",
        "held_separately",
        "method",
        "breaks",
        "measure",
        "term_days",
        "court_sanctioned",
        "ground",
        "verdict",
        "punishment",
        "term_months",
        "fine_amount",
        "conditional",
        "probation_months",
        "deferred",
        "deferral_months",
        "appeal_outcome",
        "document_number",
        "notes",
        "accused_id",
        "author_id",
        "participant_id",
        "proceeding_id",
        "acting_role",
        "acting_agency_id",
        "fingerprint",
    ),
    "proceedings_proceduralevent_attendees": ("id", "proceduralevent_id", "participant_id"),
    "defence_ondutyassignment": (
        "id",
        "state_paid",
        "assigned_at",
        "recorded_at",
        "accused_id",
        "assigned_by_id",
        "assignment_event_id",
        "defender_id",
        "defender_shift_id",
        "detention_id",
        "psychologist_id",
        "psychologist_shift_id",
        "region_id",
    ),
    "safeguards_violation": (
        "id",
        "created_at",
        "updated_at",
        "rule_id",
        "fact_key",
        "severity",
        "facts",
        "detected_at",
        "status",
        "status_changed_at",
        "note",
        "act_type",
        "act_number",
        "act_date",
        "accused_id",
        "proceeding_id",
        "responsible_id",
        "responsible_agency_id",
        "status_changed_by_id",
    ),
    "safeguards_violation_events": ("id", "violation_id", "proceduralevent_id"),
    "support_assessment": (
        "id",
        "created_at",
        "updated_at",
        "version",
        "juvenile_id",
        "accused_id",
        "author_id",
        "author_agency_id",
        "instrument_code",
        "instrument_version",
        "status",
        "answers",
        "domain_scores",
        "society_score",
        "child_score",
        "society_level",
        "child_level",
        "reasons",
        "completed_at",
        "supersedes_id",
        "notes",
    ),
    "support_portrait": ("id", "created_at", "updated_at", "accused_id", "agency_id", "lead_id"),
    "support_interview": (
        "id",
        "created_at",
        "updated_at",
        "portrait_id",
        "with_whom",
        "name",
        "held_at",
        "place",
        "summary",
        "recorded_by_id",
    ),
    "support_collecteddocument": (
        "id",
        "created_at",
        "updated_at",
        "portrait_id",
        "kind",
        "title",
        "source",
        "received_on",
        "summary",
        "recorded_by_id",
    ),
    "support_portraitreport": (
        "id",
        "created_at",
        "updated_at",
        "portrait_id",
        "version",
        "revision",
        "language",
        "issued_to",
        "grounds",
        "family",
        "development",
        "education",
        "influences",
        "personality",
        "risks",
        "conclusions",
        "recommendations",
        "completed_sections",
        "alternatives",
        "assessment_id",
        "status",
        "created_by_id",
        "signed_by_id",
        "signed_at",
        "pdf",
        "pdf_sha256",
        "pdf_size",
    ),
    "support_disclosure": (
        "id",
        "portrait_id",
        "report_id",
        "kind",
        "recipient_agency_id",
        "recipient_id",
        "by_id",
        "recipient_name",
        "at",
        "details",
        "purpose",
    ),
    "support_supportplan": (
        "id",
        "created_at",
        "updated_at",
        "juvenile_id",
        "accused_id",
        "lead_agency_id",
        "coordinator_id",
        "goal",
        "status",
        "opened_on",
        "closed_on",
        "closing_note",
        "created_by_id",
    ),
    "support_planneed": (
        "id",
        "created_at",
        "updated_at",
        "plan_id",
        "kind",
        "description",
        "priority",
        "created_by_id",
    ),
    "support_plantask": (
        "id",
        "created_at",
        "updated_at",
        "plan_id",
        "need_id",
        "action",
        "agency_id",
        "assignee_id",
        "due_on",
        "status",
        "referred_by_id",
        "referred_by_agency_id",
        "answered_by_id",
        "answered_at",
        "decline_reason",
        "done_at",
        "result",
        "cancelled_by_id",
        "cancelled_at",
        "cancel_reason",
    ),
    "mediation_mediation": (
        "id",
        "created_at",
        "updated_at",
        "proceeding_id",
        "accused_id",
        "victim_id",
        "source",
        "referred_by_id",
        "referred_at",
        "mediator_id",
        "professional_name",
        "professional_registry_number",
        "gravity",
        "rule_citation",
        "condition_confirmed",
        "status",
        "accused_consent_at",
        "accused_representative_id",
        "victim_consent_at",
        "victim_representative",
        "ended_at",
        "ended_side",
        "ended_reason",
        "termination_id",
    ),
    "mediation_mediationsession": (
        "id",
        "mediation_id",
        "kind",
        "held_at",
        "duration_minutes",
        "present",
        "notes",
        "recorded_by_id",
    ),
    "mediation_agreement": (
        "id",
        "mediation_id",
        "signed_on",
        "apology",
        "compensation",
        "undertakings",
        "deadline",
        "undertakings_done_on",
        "recorded_by_id",
        "recorded_at",
    ),
    "mediation_instalment": ("id", "agreement_id", "due_on", "amount"),
    "mediation_payment": (
        "id",
        "agreement_id",
        "paid_on",
        "amount",
        "method",
        "recorded_by_id",
        "recorded_at",
    ),
    "audit_auditevent": (
        "id",
        "at",
        "actor_name",
        "actor_agency",
        "action",
        "subject_type",
        "subject_id",
        "subject_label",
        "fields",
        "changes",
        "details",
        "channel",
        "ip_address",
        "user_agent",
        "actor_id",
        "chain_seq",
        "prev_hash",
        "row_hash",
    ),
}


def _escape(value: str) -> str:
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t")
        return value.replace("\n", "\\n").replace("\r", "\\r")
    return value


# The audit chain's canonical JSON (audit/chain.py): compact, keys sorted. jsonb does not keep
# the text, so COPY gets the same text and the hash reuses it.
_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
_STR = json.encoder.encode_basestring


def _json(value: Any) -> str:
    if not value:
        return "[]" if isinstance(value, list) else "{}"
    return _escape(_ENCODE(value))


_FORMAT: dict[type, Any] = {
    str: _escape,
    bool: lambda v: "t" if v else "f",
    int: str,
    float: repr,
    decimal.Decimal: str,
    datetime.datetime: datetime.datetime.isoformat,
    datetime.date: datetime.date.isoformat,
    dict: _json,
    list: _json,
    type(None): lambda v: "\\N",
    bytes: lambda v: "\\\\x" + v.hex(),
}


def _int(value: int) -> str:
    return str(int(value))


def text(value: Any) -> str:
    """One value in COPY's text format."""
    formatter = _FORMAT.get(type(value))
    if formatter is not None:
        return str(formatter(value))
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):  # TextChoices members: remembered for the next rows
        _FORMAT[type(value)] = _escape
        return _escape(str(value))
    if isinstance(value, int):
        _FORMAT[type(value)] = _int
        return str(int(value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"No COPY form for {type(value).__name__}")


AUDIT = "audit_auditevent"
_FIELDS: dict[tuple[str, ...], str] = {}  # the JSON of each list of changed fields, made once
_CHAINED = len(TABLES[AUDIT]) - 3  # the values before chain_seq, prev_hash and row_hash


def _utc(moment: datetime.datetime) -> str:
    """chain._time: UTC, always with microseconds, a Z at the end."""
    plain = moment.astimezone(datetime.UTC).replace(tzinfo=None).isoformat()
    return plain + "Z" if moment.microsecond else plain + ".000000Z"


def _canonical(row: Sequence[Any], fields: str, changes: str, details: str) -> tuple[bytes, bytes]:
    """chain.canonical of an audit row, from the JSON texts already made for COPY, in the two
    parts around its `chain_seq` (the keys are sorted: it comes between `at` and `changes`),
    which only the writer knows.

    `row` is (id, at, actor_name, actor_agency, action, subject_type, subject_id,
    subject_label, fields, changes, details, channel, ip_address, user_agent, actor_id);
    tests/demo compares the result with chain.canonical.
    """
    actor_id = row[14]
    ip = row[12]
    before = (
        f'{{"action":{_STR(row[4])},"actor_agency":{_STR(row[3])},'
        f'"actor_id":{"null" if actor_id is None else int(actor_id)},'
        f'"actor_name":{_STR(row[2])},"at":"{_utc(row[1])}"'
    )
    after = (
        f',"changes":{changes},"channel":{_STR(row[11])},"details":{details},'
        f'"fields":{fields},"ip_address":{"null" if ip is None else _STR(ip)},'
        f'"subject_id":{_STR(str(row[6]))},"subject_label":{_STR(row[7])},'
        f'"subject_type":{_STR(row[5])},"user_agent":{_STR(row[13])}}}'
    )
    return before.encode("utf-8"), after.encode("utf-8")


class Rows:
    """The rows of one chunk, per table, written with one COPY per table.

    Audit rows wait for their place in the hash chain: `chain` links them, in the order they
    were added (their id order), after the head of the rows loaded before them.
    """

    def __init__(self) -> None:
        self.lines: dict[str, list[str]] = defaultdict(list)
        self.counts: dict[str, int] = defaultdict(int)
        # (COPY line without the chain columns, canonical form before and after chain_seq)
        self.unchained: list[tuple[str, bytes, bytes]] = []

    def add(self, table: str, row: Sequence[Any]) -> None:
        if table == AUDIT:
            self._add_audit(row)
            return
        columns = TABLES[table]
        if len(row) != len(columns):
            raise ValueError(f"{table}: {len(row)} values for {len(columns)} columns")
        fmt = _FORMAT
        try:
            line = "\t".join([fmt[type(v)](v) for v in row])
        except KeyError:
            line = "\t".join([text(v) for v in row])
        self.lines[table].append(line)
        self.counts[table] += 1

    def _add_audit(self, row: Sequence[Any]) -> None:
        if len(row) != _CHAINED:
            raise ValueError(f"{AUDIT}: {len(row)} values for {_CHAINED} columns before the hashes")
        names = tuple(row[8])
        fields = _FIELDS.get(names)
        if fields is None:
            fields = _FIELDS[names] = _ENCODE(row[8]) if names else "[]"
        changes, details = (
            _ENCODE(row[9]) if row[9] else "{}",
            _ENCODE(row[10]) if row[10] else "{}",
        )
        e = _escape
        ip, actor = row[12], row[14]
        line = "\t".join(
            (
                str(row[0]),
                row[1].isoformat(),
                e(row[2]),
                e(row[3]),
                e(row[4]),
                e(row[5]),
                e(str(row[6])),
                e(row[7]),
                e(fields),
                e(changes),
                e(details),
                e(row[11]),
                "\\N" if ip is None else e(str(ip)),
                e(row[13]),
                "\\N" if actor is None else str(actor),
            )
        )
        self.unchained.append((line, *_canonical(row, fields, changes, details)))
        self.counts[AUDIT] += 1

    def chain(self, head: tuple[int, str]) -> tuple[int, str]:
        """Seal the waiting audit rows, in the order they were added (their id order), after
        the chain's head (its chain_seq and row_hash): give each its chain_seq, prev_hash and
        row_hash (audit/chain.py, version 2). Returns the new head."""
        lines = self.lines[AUDIT]
        sha = hashlib.sha256
        seq, prev = head
        for line, before, after in self.unchained:
            seq += 1
            canonical = b'%s,"chain_seq":%d%s' % (before, seq, after)
            row_hash = sha(prev.encode("ascii") + b"\n" + canonical).hexdigest()
            lines.append(f"{line}\t{seq}\t{prev}\t{row_hash}")
            prev = row_hash
        self.unchained = []
        return seq, prev

    def extend(self, table: str, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            self.add(table, row)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def copy_into(self, cursor: Any) -> None:
        """COPY every table (parents first) through a psycopg 3 cursor."""
        if self.unchained:
            raise RuntimeError("audit rows not linked into the chain: call chain() first")
        for table, columns in TABLES.items():
            lines = self.lines.get(table)
            if not lines:
                continue
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with cursor.copy(sql) as copy:
                copy.write(lines if isinstance(lines, str) else "\n".join(lines) + "\n")

    def freeze(self) -> "Rows":
        """Each table's lines as one text (cheaper to hand from a maker process to the writer)."""
        for table, lines in list(self.lines.items()):
            if isinstance(lines, list):
                self.lines[table] = "\n".join(lines) + "\n" if lines else ""  # type: ignore[assignment]
        return self
