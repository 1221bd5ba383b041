"""The district's reference data as a pure domain: who exists, which matters, who owns them.

Rules: JUR-1 (ownership is looked up as of a date and a place: a matter may be handed over to
some townships and not, or not yet, to others), REF-8 (units act in their own name only
where the matter's legal basis allows it), JNT-2 (liaison persons). No I/O here.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from liandong_contracts.orgs import OrgKind, OrgRef


class UnknownOrganisation(LookupError):
    """An organisation id that the district directory does not hold."""

    def __init__(self, org_id: str) -> None:
        super().__init__(f"unknown organisation {org_id!r}: not in the district directory")
        self.org_id = org_id


class UnknownMatter(LookupError):
    """A matter code that the catalogue (清单) does not list."""

    def __init__(self, code: str) -> None:
        super().__init__(f"unknown matter {code!r}: not in the enforcement catalogue")
        self.code = code


@dataclass(frozen=True, slots=True)
class Organisation:
    """A body of the district; `parent_id` is set for internal, affiliated, dispatched units."""

    id: str
    kind: OrgKind
    name: str
    parent_id: str | None = None
    liaison_person: str | None = None  # JNT-2
    liaison_phone: str | None = None

    def ref(self) -> OrgRef:
        return OrgRef(id=self.id, kind=self.kind, name=self.name, parent_id=self.parent_id)


@dataclass(frozen=True, slots=True)
class Matter:
    """An enforcement matter (事项) of the catalogue (清单), JUR-1.

    `handover_date` is the default 划转日期; `township_handovers` overrides it for single
    townships or street offices, as (township id, date or None = not handed over to it) pairs.
    """

    code: str
    name: str
    department_id: str  # owner before the hand-over, or always if never handed over
    legal_basis: str
    handover_date: date | None = None  # 划转日期: handed to the townships on this day
    unit_may_act_in_own_name: bool = False  # REF-8 exception written in the legal basis
    township_handovers: tuple[tuple[str, date | None], ...] = ()

    def handover_date_in(self, township_id: str | None) -> date | None:
        """The day the matter was (or will be) handed to this township; None if never.

        Without a place: the default date, which holds for every township without its own.
        """
        if township_id is not None:
            for township, day in self.township_handovers:
                if township == township_id:
                    return day
        return self.handover_date

    def is_handed_over(self, on: date, township_id: str | None = None) -> bool:
        handover = self.handover_date_in(township_id)
        return handover is not None and on >= handover


class Directory:
    """The organisations of the district, by id."""

    def __init__(self, organisations: Iterable[Organisation]) -> None:
        self._by_id: dict[str, Organisation] = {}
        for org in organisations:
            if org.id in self._by_id:
                raise ValueError(f"duplicate organisation id {org.id!r}")
            self._by_id[org.id] = org

    def get(self, org_id: str) -> Organisation:
        try:
            return self._by_id[org_id]
        except KeyError:
            raise UnknownOrganisation(org_id) from None

    def townships(self) -> tuple[Organisation, ...]:
        """Townships and street offices (乡镇 / 街道)."""
        return self._of(lambda kind: kind.is_township)

    def departments(self) -> tuple[Organisation, ...]:
        return self._of(lambda kind: kind is OrgKind.DEPARTMENT)

    def judicial_organs(self) -> tuple[Organisation, ...]:
        return self._of(lambda kind: kind.is_judicial)

    def public_security(self) -> tuple[Organisation, ...]:
        """AST-6, JNT-4: the public security organs (a kind, never a name)."""
        return self._of(lambda kind: kind is OrgKind.PUBLIC_SECURITY)

    def district_government(self) -> Organisation:
        governments = self._of(lambda kind: kind is OrgKind.DISTRICT_GOVERNMENT)
        if len(governments) != 1:
            raise LookupError(f"{len(governments)} district governments in the directory, not 1")
        return governments[0]

    def _of(self, wanted: Callable[[OrgKind], bool]) -> tuple[Organisation, ...]:
        return tuple(org for org in self if wanted(org.kind))

    def __contains__(self, org_id: object) -> bool:
        return org_id in self._by_id

    def __iter__(self) -> Iterator[Organisation]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)


class Catalogue:
    """The enforcement catalogue (清单): every matter, its owning department and hand-over."""

    def __init__(self, matters: Iterable[Matter]) -> None:
        self._by_code: dict[str, Matter] = {}
        for matter in matters:
            if matter.code in self._by_code:
                raise ValueError(f"duplicate matter code {matter.code!r}")
            self._by_code[matter.code] = matter

    def matter(self, code: str) -> Matter:
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownMatter(code) from None

    def owner_as_of(self, code: str, on: date, locality_township_id: str) -> str:
        """JUR-1: the township where the violation is, once the matter is handed over to that
        township; else the department."""
        matter = self.matter(code)
        if matter.is_handed_over(on, locality_township_id):
            return locality_township_id
        return matter.department_id

    def is_handed_over(self, code: str, on: date, township_id: str | None = None) -> bool:
        """Handed over on `on` to `township_id`; without a place, by the default date."""
        return self.matter(code).is_handed_over(on, township_id)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[Matter]:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)


@dataclass(frozen=True, slots=True)
class ReferenceData:
    """The directory and the catalogue of one district, loaded and validated together."""

    directory: Directory
    catalogue: Catalogue

    def owner_of(self, code: str, on: date, locality_township_id: str) -> Organisation:
        """JUR-1, resolved: the owning organisation; the locality must be a township."""
        locality = self.directory.get(locality_township_id)
        if not locality.kind.is_township:
            raise ValueError(
                f"{locality_township_id!r} is a {locality.kind}, not a township or street office"
            )
        return self.directory.get(self.catalogue.owner_as_of(code, on, locality_township_id))

    def may_act_in_own_name(self, org_id: str, code: str) -> bool:
        """REF-8: a unit acts in its own name only where the matter's legal basis allows it."""
        org, matter = self.directory.get(org_id), self.catalogue.matter(code)
        if not org.kind.is_unit:
            return True
        return matter.unit_may_act_in_own_name and org.parent_id == matter.department_id
