"""Rows added, changed and removed between two datasets."""

from __future__ import annotations

from planner.dataio.diff import Counts, diff_datasets
from planner.dataset import parse_files


def dataset(files):
    return parse_files({name: text.encode("utf-8") for name, text in files.items()})


def test_same_content_in_another_order_has_no_change(small_files):
    other = dict(small_files)
    lines = small_files["observations.csv"].splitlines()
    other["observations.csv"] = "\n".join([lines[0], *reversed(lines[1:])]) + "\n"
    assert diff_datasets(dataset(small_files), dataset(other)).empty


def test_added_changed_and_removed_by_file_and_indicator(small_files):
    new = dict(small_files)
    obs = new["observations.csv"]
    obs = obs.replace(",0.7024,", ",0.7100,")  # changed
    obs = obs.replace(
        "dti_overall,Việt Nam,2022,year,0.5,index_0_1,external,mic_dti_2022,2023-07-01,,,\n", ""
    )  # removed
    obs += "online_filing_rate,Quảng Ninh,2023,year,70,percent,observed,mic_dti_2022,,,,\n"
    new["observations.csv"] = obs
    new["sources.csv"] = new["sources.csv"].replace("A source no value cites", "Renamed")
    diff = diff_datasets(dataset(small_files), dataset(new))
    assert diff.by_file["observations"] == Counts(added=1, changed=1, removed=1)
    assert diff.by_file["sources"] == Counts(changed=1)
    assert diff.by_file["units"] == Counts()
    assert diff.by_indicator == {
        "dti_overall": Counts(changed=1, removed=1),
        "online_filing_rate": Counts(added=1),
    }
    changed = next(c for c in diff.changes if c.state == "changed" and c.file == "observations")
    assert changed.columns == ("value",)
    assert (changed.before["value"], changed.after["value"]) == ("0.7024", "0.71")
    assert changed.key["year"] == "2022" and changed.key["source"] == "mic_dti_2022"
    assert sum(c.total for c in diff.by_file.values()) == len(diff.changes) == 4
