"""A subscription: what an organisation follows of the information shared with it (SHR-3)."""

from dataclasses import dataclass

from liandong_contracts.sharing_v1 import InfoCategory


@dataclass(frozen=True)
class Subscription:
    """Matches an item when every criterion given names the item's value; none: everything."""

    id: str
    org_id: str
    categories: tuple[InfoCategory, ...] = ()
    producers: tuple[str, ...] = ()
    matter_codes: tuple[str, ...] = ()

    def matches(self, category: InfoCategory, producer_id: str, matter_code: str | None) -> bool:
        return (
            (not self.categories or category in self.categories)
            and (not self.producers or producer_id in self.producers)
            and (not self.matter_codes or matter_code in self.matter_codes)
        )
