"""The spool that keeps a batch's results: same answers in memory and on disk, flat memory."""

from __future__ import annotations

import pytest

from checker.findings import FileResult
from checker.gate.crossyear import PairIndex
from checker.run import spool
from checker.run.spool import Spool

from .batch_support import nianbao


@pytest.mark.parametrize("max_memory", [0, 1 << 20])
def test_items_come_back_in_order_from_memory_or_disk(max_memory):
    items = Spool(max_memory)
    for n in range(200):
        items.append(FileResult(path=f"{n}.yaml", year=2000 + n))
    assert items.on_disk == (max_memory == 0)
    assert len(items) == 200
    assert [r.path for r in items] == [f"{n}.yaml" for n in range(200)]
    assert items[-1].year == 2199 and items[5:8][0].path == "5.yaml"
    # two iterations at once (a reporter summing while it loops) do not disturb each other
    assert [(a.path, sum(1 for _ in items)) for a in items][:2] == [
        ("0.yaml", 200),
        ("1.yaml", 200),
    ]
    with pytest.raises(IndexError):
        items[200]


def test_pickled_items_are_appended_as_they_are():
    import pickle

    items: Spool[dict] = Spool()
    items.append_pickled(pickle.dumps({"a": 1}))
    items.append({"b": 2})
    assert list(items) == [{"a": 1}, {"b": 2}]


def test_pair_index_finds_every_position_of_a_key_in_order():
    index = PairIndex()
    keys = [("甲", 2021), ("乙", 2021), None, ("甲", 2021), ("甲", 2022)]
    for position, key in enumerate(keys):
        index.add(position, key)
    index.freeze()
    assert index.find(("甲", 2021)) == [0, 3]
    assert index.find(("甲", 2022)) == [4]
    assert index.find(("丙", 2021)) == []


def test_a_run_spooled_to_disk_reports_byte_for_byte_what_a_run_in_memory_does(monkeypatch):
    args = (
        "check",
        "reports_samples/repo",
        "reports_samples/defects",
        "-f",
        "json",
        "-f",
        "junit",
        "-o",
        "-",
        "-o",
        "-",
    )
    in_memory = nianbao(*args)
    monkeypatch.setattr(spool, "MAX_MEMORY", 0)
    on_disk = nianbao(*args)
    assert in_memory.code == on_disk.code == 1
    assert in_memory.out == on_disk.out and '"XY-001"' in on_disk.out


def test_results_pickle_compactly_and_come_back_equal():
    import pickle

    from checker.gate.config import CliChoices, resolve
    from checker.run.batch import Task, check_one

    from .conftest import ROOT

    item = check_one(
        Task(str(ROOT / "reports_samples/repo/zhengfu/2022.yaml"), resolve(CliChoices(), None))
    )
    back = pickle.loads(pickle.dumps(item))
    assert back.result == item.result and back.summary == item.summary
    assert back.result.outcomes and back.summary.texts  # the parts that matter were there
    # an outcome pickles as its constructor call: no per-object state dictionary
    outcome = item.result.outcomes[0]
    assert outcome.__reduce__()[0] is type(outcome)
    assert b"copyreg" not in pickle.dumps(outcome) and b"outcome" not in pickle.dumps(outcome)
