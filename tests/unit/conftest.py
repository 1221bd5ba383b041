"""The sample district, loaded once for every domain test."""

import pytest

from liandong_runtime.refdata import ReferenceData, default_dir, load_reference_data


@pytest.fixture(scope="session")
def district() -> ReferenceData:
    return load_reference_data(default_dir())


@pytest.fixture
def org(district: ReferenceData):
    return district.directory.get
