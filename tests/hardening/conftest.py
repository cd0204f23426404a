from tests.notes.conftest import bound_account, note, operator, staff  # noqa: F401  (the notes fixtures)
