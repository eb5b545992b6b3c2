"""helpers.migration: the Keras 2 -> 3 migration table."""

import pytest

from helpers import MigrationRow, migration_table


def test_migration_table_escapes_pipes_and_has_one_line_per_row():
    table = migration_table([MigrationRow("a|b", "x", "ok", "y"), MigrationRow("c", "p", "q", "r")])
    lines = table.splitlines()
    assert len(lines) == 4 and "a\\|b" in lines[2]


def test_migration_table_rejects_empty_or_wrong_rows():
    with pytest.raises(ValueError, match="MigrationRow"):
        migration_table([])
    with pytest.raises(ValueError, match="MigrationRow"):
        migration_table([("a", "b", "c", "d")])
