"""SHR-3: a subscription follows what is shared with an organisation, narrowed by criteria."""

import pytest

from liandong_contracts.sharing_v1 import InfoCategory as Cat
from sharing.domain.subscription import Subscription

ALL = Subscription("sub-1", "town-hexi")
NARROW = Subscription("sub-2", "town-hexi", (Cat.COMPLAINT_HANDLING, Cat.LAW_CHANGES),
                      ("dept-ecology",), ("M-ENV-003",))


@pytest.mark.rule("SHR-3")
@pytest.mark.parametrize(("item", "matched"), [
    ((Cat.COMPLAINT_HANDLING, "dept-ecology", "M-ENV-003"), True),
    ((Cat.LAW_CHANGES, "dept-ecology", "M-ENV-003"), True),
    ((Cat.OTHER, "dept-ecology", "M-ENV-003"), False),
    ((Cat.LAW_CHANGES, "dept-market", "M-ENV-003"), False),
    ((Cat.LAW_CHANGES, "dept-ecology", None), False),
])
def test_every_criterion_given_must_name_the_item(item, matched: bool) -> None:
    assert NARROW.matches(*item) is matched
    assert ALL.matches(*item)
