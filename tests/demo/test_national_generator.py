"""The national synthetic-data generator at a tiny scale: what it writes is what the services
would have written (valid IINs, steps along the stage machine, the violations the real rules
find), the same for a seed, resumable, and nothing at all when it refuses."""

import datetime
from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from qorgau.accounts.models import Agency, AgencyType, User
from qorgau.audit.models import AuditEvent
from qorgau.audit.verify import verify_chain
from qorgau.core.iin import parse_iin
from qorgau.defence.models import OnDutyAssignment
from qorgau.demo.models import GeneratorChunk, GeneratorRun
from qorgau.demo.national import indexes, runner
from qorgau.demo.national.plan import ScaleError, parse_scale
from qorgau.demo.national.tables import TABLES
from qorgau.people.models import Juvenile
from qorgau.proceedings import policy
from qorgau.proceedings.models import Accused, ProceduralEvent, Proceeding
from qorgau.proceedings.services.events import FIELDS, PARTICIPANT_ROLE, _next_stage
from qorgau.proceedings.services.sameness import fingerprint
from qorgau.safeguards.checks import CHECKS
from qorgau.safeguards.models import Violation
from qorgau.safeguards.rulebook import safeguard_book
from qorgau.safeguards.track import Track
from tests import factories

SCALE = 0.0005  # 30 cases
AS_OF = datetime.date(2026, 6, 1)
YEARS = 0.3  # a short span keeps the duty roster (one shift a day per region) small
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the generator loads PostgreSQL only (COPY); its refusal of SQLite is tested here",
)


def load(**options):
    return runner.generate(
        seed=7, scale=SCALE, as_of=AS_OF, years=YEARS, progress_every=float("inf"), **options
    )


def checksum() -> dict[str, str]:
    sums = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(
                f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM {table} t"
            )
            sums[table] = cursor.fetchone()[0]
    return sums


def nothing_written() -> bool:
    return not (
        GeneratorRun.objects.exists()
        or Juvenile.objects.exists()
        or Proceeding.objects.exists()
        or User.objects.filter(username__contains=".").exists()
    )


@pytest.mark.parametrize("raw", ["0", "-1", "101", "1e9", "nan", "inf", "ten", "", "0.000001"])
def test_it_refuses_a_scale_that_is_not_a_sensible_number(raw):
    with pytest.raises(ScaleError):
        parse_scale(raw)


@pytest.mark.parametrize("raw", ["0.0005", "0.01", "0.1", "1", "10", "100"])
def test_it_accepts_fractional_and_large_scales(raw):
    assert parse_scale(raw) == float(raw)


@pytest.mark.django_db
def test_the_command_refuses_scale_zero_and_writes_nothing():
    with pytest.raises(CommandError, match="greater than 0"):
        call_command("generate_national", "--scale", "0")
    assert nothing_written()


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor == "postgresql", reason="needs a database that is not PostgreSQL"
)
def test_it_refuses_a_database_that_is_not_postgresql():
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("generate_national", "--scale", "0.0005", "--no-progress")
    assert nothing_written()


@postgres_only
@pytest.mark.django_db
def test_it_refuses_a_database_that_holds_other_data_and_writes_nothing():
    factories.agency(AgencyType.PROBATION)  # an agency an administrator created
    with pytest.raises(CommandError, match="did not make"):
        call_command("generate_national", "--scale", "0.0005", "--no-progress")
    assert nothing_written()
    assert Agency.objects.count() == 1


@postgres_only
@pytest.mark.django_db
def test_a_tiny_country_follows_the_issue_s_ratios():
    result = load()
    counts = result.counts
    cases, juveniles = counts["proceedings_proceeding"], counts["people_juvenile"]
    assert cases == 30
    assert 1.3 <= juveniles / cases <= 2.1  # 100,048 / 60,017 = 1.67
    assert 12 <= counts["proceedings_proceduralevent"] / juveniles <= 27  # 19.4
    about_cases = AuditEvent.objects.filter(
        subject_type__in=["proceedings.proceeding", "people.juvenile"]
    ).count()
    assert 1.1 <= about_cases / counts["proceedings_proceduralevent"] <= 1.8  # 2.6 M / 1.94 M
    assert counts["accounts_agency"] >= 8 * 20  # every region's agencies, every district's
    regions_with_staff = set(
        User.objects.exclude(agency=None).values_list("agency__territory__kato_code", flat=True)
    )
    assert {"750000000", "790000000", "710000000", "751310000", "195200000"} <= regions_with_staff
    run = GeneratorRun.objects.get()
    assert run.finished_at is not None
    assert run.chunks.count() == run.blocks + 1
    with connection.cursor() as cursor:
        assert indexes.orphans(cursor) == {}  # the FK triggers were skipped: no reference dangles


@postgres_only
@pytest.mark.django_db
def test_every_iin_is_valid_unique_and_agrees_with_the_record():
    load()
    iins = list(Juvenile.objects.exclude(iin=None).values_list("iin", "birth_date", "sex"))
    assert len(iins) == len({iin for iin, _, _ in iins}) > 0
    for iin, birth_date, sex in iins:
        facts = parse_iin(iin)
        assert (facts.birth_date, facts.sex) == (birth_date, sex)
    assert not Juvenile.objects.filter(iin=None, no_iin_reason="").exists()


@postgres_only
@pytest.mark.django_db
def test_each_minor_s_steps_follow_the_stage_machine():
    load()
    now = runner._as_of_moment(AS_OF)
    for accused in Accused.objects.select_related("proceeding", "juvenile"):
        state = Accused(pk=accused.pk, stage="registered", pending="")
        events = (
            ProceduralEvent.objects.filter(accused=accused)
            .select_related("author", "participant")
            .prefetch_related("author__groups")
            .order_by("recorded_at", "id")
        )
        for event in events:
            assert event.kind in policy.kinds_allowed(state.stage), (
                accused.pk,
                event.kind,
                state.stage,
            )
            assert event.author.has_role(*policy.roles_for(event.kind))
            assert event.acting_role in policy.roles_for(event.kind)
            assert event.author.has_role(event.acting_role)
            assert event.acting_agency_id == event.author.agency_id
            given = {name: getattr(event, name) for name in FIELDS}
            court = accused.proceeding.court if event.kind == "indictment_approved" else None
            assert event.fingerprint == fingerprint(
                accused=accused, kind=event.kind, started_at=event.started_at,
                attendees=event.attendees.all(), court=court, fields=given,
            ), (event.pk, event.kind)  # fmt: skip
            assert accused.proceeding.offence_at <= event.started_at <= now
            assert event.ended_at is None or event.ended_at > event.started_at
            required, _ = policy.EVENT_FIELDS[event.kind]
            for name in required:
                if name not in ("participant", "court"):
                    assert getattr(event, name) not in (None, ""), (event.kind, name)
            role = PARTICIPANT_ROLE.get(event.kind)
            if role is not None:
                assert event.participant.role == role
                assert event.participant.accused_id == accused.pk
            state.stage, state.pending = _next_stage(
                event.kind, state, {"appeal_outcome": event.appeal_outcome}
            )
        assert (state.stage, state.pending) == (accused.stage, accused.pending)


@postgres_only
@pytest.mark.django_db
def test_the_violations_are_those_the_real_rules_find():
    load()
    now = runner._as_of_moment(AS_OF)
    stored = defaultdict(set)
    for v in Violation.objects.all():
        stored[v.accused_id].add((v.rule_id, v.fact_key, tuple(sorted(v.facts.items()))))
    assert stored, "a country without a single flag is not believable"
    for accused in Accused.objects.all():
        track = Track.load(accused, now, by_clock=True)
        found = {
            (rule.id, finding.key, tuple(sorted(finding.facts.items())))
            for rule in safeguard_book().rules
            for finding in CHECKS[rule.check].run(rule, track)
        }
        assert found == stored[accused.pk], accused.pk


@postgres_only
@pytest.mark.django_db
def test_the_same_seed_gives_the_same_rows_and_an_interrupted_load_resumes_to_them(monkeypatch):
    with transaction.atomic():
        load()
        first = checksum()
        transaction.set_rollback(True)
    assert nothing_written()

    made = 0
    real = runner.make_block

    def interrupted(*args, **kwargs):
        nonlocal made
        made += 1
        if made == 4:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    with connection.cursor() as cursor:
        before = indexes.secondary_indexes(cursor)
    assert before  # the tables have secondary indexes to take down
    monkeypatch.setattr(runner, "make_block", interrupted)
    with pytest.raises(KeyboardInterrupt):
        load()
    run = GeneratorRun.objects.get()
    assert run.finished_at is None
    assert run.indexes_down == []  # built again although the load failed
    with connection.cursor() as cursor:
        assert indexes.secondary_indexes(cursor) == before
    assert list(GeneratorChunk.objects.values_list("number", flat=True)) == [0, 1, 2, 3]
    with pytest.raises(runner.Refusal, match="--resume"):
        load()
    monkeypatch.setattr(runner, "make_block", real)
    result = load(resume=True)
    assert result.done_before == 4
    assert checksum() == first
    with connection.cursor() as cursor:
        assert indexes.secondary_indexes(cursor) == before
    with pytest.raises(runner.Refusal, match="already holds a generated country"):
        load(resume=True)


@postgres_only
@pytest.mark.django_db
def test_a_detained_minor_gets_the_pair_on_duty_in_the_case_s_region():
    load()
    assignments = list(
        OnDutyAssignment.objects.select_related(
            "defender", "psychologist", "defender_shift", "psychologist_shift", "detention",
            "assignment_event", "accused__proceeding__territory",
        )
    )  # fmt: skip
    assert assignments
    for a in assignments:
        territory = a.accused.proceeding.territory
        region = territory.parent_id or territory.pk
        for participant, shift in ((a.defender, a.defender_shift),
                                   (a.psychologist, a.psychologist_shift)):  # fmt: skip
            assert shift.starts_at <= a.assigned_at < shift.ends_at
            assert shift.territory_id == region == a.region_id
            assert participant.user_id == shift.member_id
        assert a.detention.kind == "detention" and a.detention.started_at <= a.assigned_at
        assert a.assignment_event.kind == "defender_assigned"
        assert a.assignment_event.participant_id == a.defender_id


def test_every_table_it_fills_lists_every_column_the_database_does_not_default():
    """A column added without a database default (or renamed) must reach the COPY lists."""
    from django.apps import apps
    from django.db.models import NOT_PROVIDED

    models = {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}
    for table, columns in TABLES.items():
        fields = models[table]._meta.concrete_fields
        undefaulted = {f.column for f in fields if f.db_default is NOT_PROVIDED}
        assert undefaulted <= set(columns), (table, sorted(undefaulted - set(columns)))
        assert set(columns) <= {f.column for f in fields}, (table, "unknown columns")
        assert len(columns) == len(set(columns)), table


@postgres_only
@pytest.mark.django_db
def test_the_audit_rows_are_hashed_as_the_chain_hashes_them_and_the_chain_holds():
    from qorgau.audit.chain import HASHED_FIELDS, canonical
    from qorgau.audit.verify import verify_chain
    from qorgau.demo.national.copywriter import Rows

    load()
    verified = verify_chain()
    assert verified.broken is None and verified.rows == AuditEvent.objects.count()  # all sealed
    rows = Rows()
    for event in AuditEvent.objects.order_by("id")[:3000]:
        values = {name: getattr(event, name) for name in HASHED_FIELDS}
        row = (event.id, event.at, event.actor_name, event.actor_agency, event.action,
               event.subject_type, event.subject_id, event.subject_label, event.fields,
               event.changes, event.details, event.channel, event.ip_address, event.user_agent,
               event.actor_id)  # fmt: skip
        rows.add("audit_auditevent", row)
        _line, before, after = rows.unchained[-1]
        with_seq = before + b',"chain_seq":%d' % event.chain_seq + after
        assert with_seq == canonical(values), event.id


@postgres_only
@pytest.mark.django_db
def test_two_maker_processes_make_the_same_rows_as_one():
    with transaction.atomic():
        load()
        one = checksum()
        transaction.set_rollback(True)
    load(workers=2)
    assert checksum() == one
    verified = verify_chain()
    assert verified.broken is None and verified.rows == AuditEvent.objects.count()  # all sealed


@postgres_only
@pytest.mark.django_db
def test_indexes_a_killed_load_left_down_are_built_by_the_resume_and_refused_before():
    with connection.cursor() as cursor:
        before = indexes.secondary_indexes(cursor)
        cursor.execute(
            "INSERT INTO demo_generatorrun (seed, scale, as_of, years, blocks, started_at, "
            "indexes_down) VALUES (7, %s, %s, %s, 1, now(), '[]') RETURNING id",
            [SCALE, AS_OF, YEARS],
        )
        run_id = cursor.fetchone()[0]
        indexes.take_down(cursor, run_id)  # as a load killed before its `finally` leaves it
        assert indexes.secondary_indexes(cursor) == []
    with pytest.raises(runner.Refusal, match=f"{len(before)} indexes are down"):
        load()
    load(resume=True)
    with connection.cursor() as cursor:
        assert indexes.secondary_indexes(cursor) == before
    assert GeneratorRun.objects.get().indexes_down == []


def test_the_night_of_the_generator_is_the_night_of_the_check():
    import random
    from types import SimpleNamespace

    from qorgau.demo.national.safeguards_record import at_night
    from qorgau.safeguards.checks_record import _at_night

    rng = random.Random(11)
    base = datetime.datetime(2025, 12, 30, tzinfo=datetime.UTC)
    for _ in range(3000):
        start = base + datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 5))
        end = (
            None if rng.random() < 0.1 else start + datetime.timedelta(minutes=rng.randint(1, 900))
        )
        event = SimpleNamespace(started_at=start, ended_at=end)
        assert at_night(start, end, 22, 6) == _at_night(event, 22, 6), (start, end)
