from pathlib import Path

from django.core.management import call_command

from accounts.roles import CAPABILITIES, Capability


def test_docs_permissions_md_matches_the_capability_table_in_code(tmp_path):
    generated = tmp_path / "permissions.md"
    call_command("permissions_table", output=str(generated))
    committed = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
    assert committed.read_text() == generated.read_text(), "Run `python manage.py permissions_table` and commit it."


def test_every_capability_is_in_the_table():
    assert set(CAPABILITIES) == set(Capability)
