"""Russian wording for documents: dates as contracts print them, names and titles in the genitive.

«в лице Генерального директора Смирнова Алексея Викторовича» needs the person's name declined
(pytrovich, which follows the Petrovich rules) and the job title declined. Titles are not names, so
pytrovich cannot do them: a small word table covers the common ones, and anything else is returned
unchanged because the admin stores the genitive form of unusual titles.
"""

from datetime import date

from pytrovich.detector import PetrovichGenderDetector
from pytrovich.enums import Case, Gender, NamePart
from pytrovich.maker import PetrovichDeclinationMaker

MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)

MALE = "male"
FEMALE = "female"

# Built once: both load the Petrovich rule files, which is too slow to repeat per document.
_maker = PetrovichDeclinationMaker()
_detector = PetrovichGenderDetector()

# Turkic patronymics are written with a separate word and do not decline («Гусейн оглы»).
_TURKIC_PATRONYMIC = {"оглы": MALE, "улы": MALE, "кызы": FEMALE, "гызы": FEMALE}


def date_ru(d: date, *, pad_day: bool = False) -> str:
    """«1 февраля 2026 г.» (contracts); pad_day gives «01 февраля 2026 г.» as 1C prints invoices."""
    day = f"{d.day:02d}" if pad_day else str(d.day)
    return f"{day} {MONTHS_GENITIVE[d.month - 1]} {d.year} г."


def date_numeric(d: date) -> str:
    """«01.02.2026»."""
    return d.strftime("%d.%m.%Y")


def initials(full_name: str) -> str:
    """«Смирнов Алексей Викторович» → «Смирнов А. В.», as signature lines print a signatory."""
    words = full_name.split()
    if len(words) < 2:
        return full_name
    return f"{words[0]} " + " ".join(f"{w[0]}." for w in words[1:3] if w[:1].isalpha())


def detect_gender(full_name: str) -> str | None:
    """MALE, FEMALE or None when the name does not tell (a bare «Саша Черных»)."""
    last, first, middle = _split_name(full_name)
    if middle:
        tail = middle.split()[-1].lower()
        if tail in _TURKIC_PATRONYMIC:
            return _TURKIC_PATRONYMIC[tail]
        if tail.endswith(("вич", "ич")):
            return MALE
        if tail.endswith("на"):
            return FEMALE
    detected = _detector.detect(
        firstname=(_is_word(first) and first) or None,
        lastname=(_is_word(last) and last) or None,
        middlename=(_is_word(middle) and middle) or None,
    )
    return {Gender.MALE: MALE, Gender.FEMALE: FEMALE}.get(detected)


def genitive_name(full_name: str, gender: str | None = None) -> str:
    """«Смирнов Алексей Викторович» → «Смирнова Алексея Викторовича».

    Accepts «Фамилия Имя Отчество», «Фамилия Имя» and «Фамилия И.О.» (initials stay). When the
    gender cannot be told, the name is declined as male only if pytrovich's rules agree for both
    genders; otherwise it is left as is, since a wrong ending in a contract is worse than none.
    """
    full_name = " ".join(full_name.split())
    if not full_name:
        return ""
    gender = gender or detect_gender(full_name)
    last, first, middle = _split_name(full_name)
    parts = [
        _decline(NamePart.LASTNAME, last, gender),
        _decline(NamePart.FIRSTNAME, first, gender),
        _decline_middle(middle, gender),
    ]
    return " ".join(p for p in parts if p)


def _split_name(full_name: str) -> tuple[str, str, str]:
    words = full_name.split()
    if len(words) == 1 and words[0].count(".") >= 1 and not words[0].endswith("."):
        # «Иванов И.И.» without a space is rare but seen; keep it whole.
        return words[0], "", ""
    last = words[0] if words else ""
    first = words[1] if len(words) > 1 else ""
    middle = " ".join(words[2:])
    return last, first, middle


def _is_word(part: str) -> bool:
    return bool(part) and "." not in part


def _decline(name_part: NamePart, word: str, gender: str | None) -> str:
    if not _is_word(word):
        return word  # initials («И.И.») do not decline
    if gender is None:
        as_male = _decline_one(name_part, word, Gender.MALE)
        as_female = _decline_one(name_part, word, Gender.FEMALE)
        return as_male if as_male == as_female else word
    return _decline_one(name_part, word, Gender.MALE if gender == MALE else Gender.FEMALE)


def _decline_middle(middle: str, gender: str | None) -> str:
    if not middle:
        return ""
    words = middle.split()
    if words[-1].lower() in _TURKIC_PATRONYMIC:
        return middle
    return " ".join(_decline(NamePart.MIDDLENAME, w, gender) for w in words)


def _decline_one(name_part: NamePart, word: str, gender: Gender) -> str:
    """Decline in title case and restore the original case: pytrovich only appends lowercase
    endings, so «ПАВЛОВ» would become «ПАВЛОВа»."""
    declined = _maker.make(name_part, gender, Case.GENITIVE, _title(word))
    if word.isupper():
        return declined.upper()
    if word.islower():
        return declined.lower()
    return declined


def _title(word: str) -> str:
    return "-".join(piece[:1].upper() + piece[1:].lower() for piece in word.split("-"))


# Genitive of the words that open common Russian job titles. A title is declined up to and
# including its head noun; the rest is already in the genitive («Заместитель генерального
# директора» → «Заместителя генерального директора»).
_TITLE_ADJECTIVES = {
    "генеральный": "генерального",
    "исполнительный": "исполнительного",
    "коммерческий": "коммерческого",
    "финансовый": "финансового",
    "технический": "технического",
    "главный": "главного",
    "индивидуальный": "индивидуального",
    "управляющий": "управляющего",
    "первый": "первого",
    "старший": "старшего",
}
_TITLE_NOUNS = {
    "директор": "директора",
    "заместитель": "заместителя",
    "президент": "президента",
    "председатель": "председателя",
    "руководитель": "руководителя",
    "предприниматель": "предпринимателя",
    "бухгалтер": "бухгалтера",
    "менеджер": "менеджера",
    "управляющий": "управляющего",
    "начальник": "начальника",
    "ректор": "ректора",
    "глава": "главы",
}


def genitive_title(title: str) -> str:
    """«Генеральный директор» → «Генерального директора»; an unknown title comes back as is."""
    words = title.split()
    if not words:
        return ""
    for head, word in enumerate(words):
        lower = word.lower()
        if lower in _TITLE_NOUNS and (lower != "управляющий" or head == len(words) - 1):
            declined = [_TITLE_ADJECTIVES.get(w.lower()) for w in words[:head]]
            if None in declined:
                return title
            declined.append(_TITLE_NOUNS[lower])
            out = [_same_case(src, dst) for src, dst in zip(words, declined, strict=False)]
            return " ".join(out + words[head + 1 :])
        if lower not in _TITLE_ADJECTIVES:
            return title
    return title


def _same_case(source: str, declined: str) -> str:
    if source.isupper() and len(source) > 1:
        return declined.upper()
    if source[:1].isupper():
        return declined[:1].upper() + declined[1:]
    return declined


def party_wording(
    *,
    kind: str,
    name: str,
    person: str,
    person_genitive: str,
    title_genitive: str,
    feminine: bool,
    basis: str,
    ogrn: str,
    passport: str,
    role: str,
) -> dict[str, str]:
    """How a contract introduces a party, agreed in gender and case.

    A company is neuter («Общество … именуемое») and acts through a signatory in the genitive
    («в лице Директора Кузьминой Елены Андреевны, действующей на основании Устава»); a sole trader
    and a private person sign for themselves and agree with their own gender.
    """
    named = "именуемая" if feminine else "именуемый"
    if kind == "company":
        basis = basis or "Устава"
        signatory = " ".join(p for p in (title_genitive, person_genitive) if p)
        in_person_of = f"в лице {signatory or 'уполномоченного представителя'}"
        acting_on = f"{'действующей' if feminine else 'действующего'} на основании {basis}"
        preamble = f"{name}, именуемое в дальнейшем «{role}», {in_person_of}, {acting_on}"
        return {
            "named": "именуемое",
            "signatory_genitive": signatory,
            "in_person_of": in_person_of,
            "acting_on": acting_on,
            "basis": basis,
            "preamble": preamble,
        }
    if kind == "ip":
        basis = basis or (
            f"записи в ЕГРИП (ОГРНИП {ogrn})"
            if ogrn
            else "свидетельства о государственной регистрации"
        )
        acting_on = f"{'действующая' if feminine else 'действующий'} на основании {basis}"
        return {
            "named": named,
            "signatory_genitive": f"Индивидуального предпринимателя {person_genitive}".strip(),
            "in_person_of": "",
            "acting_on": acting_on,
            "basis": basis,
            "preamble": f"{name}, {acting_on}, {named} в дальнейшем «{role}»",
        }
    identity = f", паспорт {passport}" if passport else ""
    return {
        "named": named,
        "signatory_genitive": person_genitive,
        "in_person_of": "",
        "acting_on": "",
        "basis": basis,
        "preamble": f"{name}{identity}, {named} в дальнейшем «{role}»",
    }
