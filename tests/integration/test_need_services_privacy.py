"""Public need texts refuse what is plainly personal data."""
import pytest

from gandeng.errors import DomainError
from gandeng.needs.services import clean_need_fields
from tests.factories import need_data


@pytest.mark.parametrize("field", ["title", "description"])
def test_a_nik_in_public_text_is_refused(session, field):
    data = need_data(**{field: "Bantuan untuk warga NIK 3471012345678901 di RT 03"})
    with pytest.raises(DomainError) as refused:
        clean_need_fields(session, data)
    assert refused.value.field == field
    assert "NIK" in refused.value.message


def test_ordinary_numbers_in_public_text_are_fine(session):
    data = need_data(description="Butuh 12 sak semen dan 300 bata untuk 2 rumah; anggaran Rp15000000.")
    assert clean_need_fields(session, data)["description"].startswith("Butuh 12 sak")
