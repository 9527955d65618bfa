"""The committed data dictionary is generated from the schemas and must not be stale."""

from wave_analysis.config import DATA_DICTIONARY
from wave_analysis.data import dictionary, schema


def test_committed_dictionary_is_up_to_date():
    assert DATA_DICTIONARY.read_text("utf-8") == dictionary.render(), (
        "docs/data_dictionary.md is stale: run `wave-analysis dictionary` and commit it")


def test_dictionary_documents_every_column_of_every_table():
    text = dictionary.render()
    for name, table in schema.ALL_TABLES.items():
        assert f"### `{name}`" in text
        for column in table.columns:
            assert f"| `{column}` |" in text, f"{name}.{column} undocumented"
