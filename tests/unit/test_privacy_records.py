"""The records of processing (gandeng/privacy/records.py) match what the platform holds, shows and exports:
a new personal column, a template showing personal data, or an export column carrying it, without an entry
in the table, fails here (issue 19)."""
from gandeng.privacy import coverage, records


def test_every_personal_column_of_the_database_has_a_record():
    assert coverage.database_findings() == []


def test_every_template_showing_personal_data_is_listed_by_its_record():
    assert coverage.template_findings() == []


def test_every_export_column_carrying_personal_data_is_listed_by_its_record():
    assert coverage.export_findings() == []


def test_a_new_personal_column_without_a_record_is_caught():
    columns = coverage.all_columns() + ["needs.guardian_phone", "groups.member_nik"]
    findings = coverage.database_findings(columns)
    assert "column needs.guardian_phone looks personal but has no record" in findings
    assert "column groups.member_nik looks personal but has no record" in findings


def test_a_template_newly_showing_personal_data_is_caught():
    texts = coverage.template_texts()
    texts["offers/show.html"] += "{{ need.contact_phone }} {{ group.member_names }}"
    findings = coverage.template_findings(texts)
    assert "offers/show.html shows contact_phone but no record of it lists the template" in findings
    assert "offers/show.html shows member_names, which looks personal and is no known column" in findings


def test_a_new_export_column_with_personal_data_is_caught():
    exports = coverage.export_columns()
    exports["open"] = exports["open"] | {"contact_phone", "household_name"}
    exports["staff"] = exports["staff"] | {"beneficiaries"}
    findings = coverage.export_findings(exports)
    assert {"export open:contact_phone looks personal but no record lists it",
            "export open:household_name looks personal but no record lists it",
            "export staff:beneficiaries looks personal but no record lists it"} <= set(findings)


def test_the_table_cannot_claim_what_is_not_there():
    texts = coverage.template_texts()
    texts["needs/show.html"] = "{{ need.title }}"  # the page stopped showing the names
    findings = coverage.template_findings(texts)
    assert "record beneficiaries: template needs/show.html does not show it" in findings


def test_every_record_says_purpose_basis_audience_and_retention():
    for record in records.RECORDS:
        for part in (record.data, record.purpose, record.legal_basis, record.who_sees, record.retention):
            assert str(part).strip()
        if not record.placeholder:
            assert "Pasal 20" in str(record.legal_basis), record.key
    assert not [record.key for record in records.RECORDS if record.placeholder]  # Nglarisi's members are filled in
    assert "nglarisi_group_members.nik" in records.BY_KEY["group_members"].columns
