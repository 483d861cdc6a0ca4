"""The IIN (ЖСН/ИИН): structure, date, century-and-sex digit, the mod-11 check digit."""

import datetime
import random

import pytest
from django.core.exceptions import ValidationError

from qorgau.core import iin
from qorgau.core.iin import MESSAGE_CHECKSUM, Sex, check_digit, make_iin, parse_iin, validate_iin

# Worked by hand with the algorithm of legal-kz.md ("Identification"):
# 850714 3 0123: 8·1+5·2+0·3+7·4+1·5+4·6+3·7+0·8+1·9+2·10+3·11 = 158; 158 mod 11 = 4.
MAN_1985 = "850714301234"
# 100305 6 0042: 1·1+0·2+0·3+3·4+0·5+5·6+6·7+0·8+0·9+4·10+2·11 = 147; 147 mod 11 = 4.
GIRL_2010 = "100305600424"
# 081120 5 0030: first weights give 0+16+3+4+10+0+35+0+0+30+0 = 98; 98 mod 11 = 10, so the
# second weights 3..11,1,2 apply: 0·3+8·4+1·5+1·6+2·7+0·8+5·9+0·10+0·11+3·1+0·2 = 105;
# 105 mod 11 = 6.
BOY_2008_SECOND_WEIGHTS = "081120500306"
# 081120 5 0032: first weights 98+2·11 = 120 ≡ 10, second weights 105+2·2 = 109 ≡ 10:
# no check digit exists, so no IIN begins with these eleven digits.
NO_CHECK_DIGIT = "08112050032"


def error_of(value: str) -> ValidationError:
    with pytest.raises(ValidationError) as excinfo:
        parse_iin(value)
    return excinfo.value


def with_check_digit(first_eleven: str) -> str:
    digit = check_digit(first_eleven)
    assert digit is not None
    return f"{first_eleven}{digit}"


@pytest.mark.parametrize(
    ("value", "birth_date", "sex"),
    [
        (MAN_1985, datetime.date(1985, 7, 14), Sex.MALE),
        (GIRL_2010, datetime.date(2010, 3, 5), Sex.FEMALE),
        (BOY_2008_SECOND_WEIGHTS, datetime.date(2008, 11, 20), Sex.MALE),
    ],
)
def test_accepts_iins_checked_by_hand(value, birth_date, sex):
    assert parse_iin(value) == iin.IINFacts(birth_date=birth_date, sex=sex)


def test_check_digit_falls_back_to_the_second_weights():
    assert sum(int(d) * w for d, w in zip("08112050030", iin.FIRST_WEIGHTS, strict=True)) % 11 == 10
    assert check_digit("08112050030") == 6


def test_check_digit_is_none_when_both_weight_sequences_give_ten():
    assert check_digit(NO_CHECK_DIGIT) is None
    assert make_iin(datetime.date(2008, 11, 20), Sex.MALE, 32) is None


@pytest.mark.parametrize("last", "0123456789")
def test_rejects_every_iin_whose_eleven_digits_have_no_check_digit(last):
    assert error_of(NO_CHECK_DIGIT + last).messages == [str(iin.MESSAGE_CHECKSUM)]


def test_make_iin_builds_the_iins_checked_by_hand():
    assert make_iin(datetime.date(1985, 7, 14), Sex.MALE, 123) == MAN_1985
    assert make_iin(datetime.date(2010, 3, 5), Sex.FEMALE, 42) == GIRL_2010
    assert make_iin(datetime.date(2008, 11, 20), Sex.MALE, 30) == BOY_2008_SECOND_WEIGHTS


def test_accepts_surrounding_spaces():
    assert parse_iin(f"  {MAN_1985} ").birth_date == datetime.date(1985, 7, 14)


def test_validate_iin_accepts_a_valid_iin_and_rejects_a_bad_one():
    assert validate_iin(GIRL_2010) is None
    with pytest.raises(ValidationError) as caught:
        validate_iin(GIRL_2010[:11] + "5")
    assert caught.value.messages == [str(MESSAGE_CHECKSUM)]


@pytest.mark.parametrize("value", ["85071430123", "8507143012345", "1", "0" * 20])
def test_rejects_iin_of_wrong_length(value):
    error = error_of(value)
    assert error.messages == [str(iin.MESSAGE_LENGTH)]
    assert error.code == "iin_length"


@pytest.mark.parametrize("value", ["", "   ", None])
def test_rejects_an_empty_iin(value):
    assert error_of(value).messages == [str(iin.MESSAGE_DIGITS)]


FULLWIDTH = "８５０７１４３０１２３４"
ARABIC_INDIC = "٨٥٠٧١٤٣٠١٢٣٤"


@pytest.mark.parametrize(
    "value", ["85071430123a", "8507-1430123", "850714 301234", FULLWIDTH, ARABIC_INDIC]
)
def test_rejects_iin_with_a_non_digit(value):
    error = error_of(value)
    assert error.messages == [str(iin.MESSAGE_DIGITS)]
    assert error.code == "iin_digits"


@pytest.mark.parametrize("century_digit", "0789")
def test_rejects_iin_with_century_digit_outside_one_to_six(century_digit):
    error = error_of(with_check_digit(f"850714{century_digit}0123"))
    assert error.messages == [str(iin.MESSAGE_CENTURY)]
    assert error.code == "iin_century"


@pytest.mark.parametrize(
    "first_eleven",
    [
        "100231" + "50001",  # 31 February 2010
        "010229" + "50001",  # 29 February 2001, not a leap year
        "000229" + "30001",  # 29 February 1900, not a leap year
        "101301" + "50001",  # month 13
        "100000" + "50001",  # day 0
        "100431" + "60001",  # 31 April
    ],
)
def test_rejects_iin_with_an_impossible_date(first_eleven):
    error = error_of(with_check_digit(first_eleven))
    assert error.messages == [str(iin.MESSAGE_DATE)]
    assert error.code == "iin_date"


def test_accepts_29_february_of_a_leap_year():
    assert parse_iin(with_check_digit("000229" + "50001")).birth_date == datetime.date(2000, 2, 29)


@pytest.mark.parametrize("valid", [MAN_1985, GIRL_2010, BOY_2008_SECOND_WEIGHTS])
def test_rejects_iin_with_wrong_check_digit(valid):
    for digit in "0123456789":
        if digit == valid[11]:
            continue
        error = error_of(valid[:11] + digit)
        assert error.messages == [str(iin.MESSAGE_CHECKSUM)]
        assert error.code == "iin_checksum"


def test_rejects_iin_with_two_digits_swapped():
    swapped = MAN_1985[:7] + MAN_1985[8] + MAN_1985[7] + MAN_1985[9:]
    assert swapped != MAN_1985
    assert error_of(swapped).messages == [str(iin.MESSAGE_CHECKSUM)]


@pytest.mark.parametrize(
    ("century_digit", "year", "sex"),
    [
        (1, 1899, Sex.MALE),
        (2, 1899, Sex.FEMALE),
        (3, 1999, Sex.MALE),
        (4, 1999, Sex.FEMALE),
        (5, 2099, Sex.MALE),
        (6, 2099, Sex.FEMALE),
    ],
)
def test_derives_birth_date_and_sex_from_each_century_digit(century_digit, year, sex):
    facts = parse_iin(with_check_digit(f"991231{century_digit}0007"))
    assert facts.birth_date == datetime.date(year, 12, 31)
    assert facts.sex == sex


@pytest.mark.parametrize(
    ("birth_date", "sex", "century_digit"),
    [
        (datetime.date(1850, 1, 1), Sex.MALE, "1"),
        (datetime.date(1850, 1, 1), Sex.FEMALE, "2"),
        (datetime.date(1975, 6, 30), Sex.MALE, "3"),
        (datetime.date(1975, 6, 30), Sex.FEMALE, "4"),
        (datetime.date(2012, 9, 1), Sex.MALE, "5"),
        (datetime.date(2012, 9, 1), Sex.FEMALE, "6"),
    ],
)
def test_make_iin_writes_the_century_and_sex_digit(birth_date, sex, century_digit):
    value = next(v for s in range(1, 50) if (v := make_iin(birth_date, sex, s)))
    assert value[6] == century_digit
    assert value[:6] == birth_date.strftime("%y%m%d")


def test_make_iin_round_trips_through_parse_iin_for_many_dates_and_serials():
    rng = random.Random(20261125)  # fixed seed: the same numbers on every run
    start = datetime.date(1800, 1, 1)
    span = (datetime.date(2099, 12, 31) - start).days
    built = without_check_digit = 0
    for _ in range(3000):
        birth_date = start + datetime.timedelta(days=rng.randrange(span + 1))
        sex = rng.choice([Sex.MALE, Sex.FEMALE])
        serial = rng.randrange(10000)
        value = make_iin(birth_date, sex, serial)
        if value is None:
            without_check_digit += 1
            century_digit = {18: 1, 19: 3, 20: 5}[birth_date.year // 100] + (sex == Sex.FEMALE)
            assert check_digit(f"{birth_date:%y%m%d}{century_digit}{serial:04d}") is None
            continue
        built += 1
        assert len(value) == 12
        assert value[7:11] == f"{serial:04d}"
        assert parse_iin(value) == iin.IINFacts(birth_date=birth_date, sex=sex)
        # Any other last digit is refused.
        wrong = value[:11] + str((int(value[11]) + 1) % 10)
        assert error_of(wrong).code == "iin_checksum"
    # Roughly 1 in 121 serials has no check digit; most numbers are built.
    assert built > 2900
    assert without_check_digit < 100


def test_a_masked_iin_keeps_the_last_four_digits():
    from qorgau.core.iin import mask_iin

    assert mask_iin("100305500123") == "••••••••0123"
    assert mask_iin("") == "" and mask_iin(None) == ""
