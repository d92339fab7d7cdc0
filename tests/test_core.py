import os
import random

import numpy as np
import pytest
import torch

from seq2seq_lib import get_device, physical_cores, set_seed, set_threads


def test_set_seed_makes_all_generators_repeat():
    set_seed(123)
    a = (random.random(), np.random.rand(), torch.rand(3))
    set_seed(123)
    b = (random.random(), np.random.rand(), torch.rand(3))
    assert a[0] == b[0] and a[1] == b[1] and torch.equal(a[2], b[2])
    assert set_seed(7) == 7


@pytest.mark.parametrize("bad, error", [(1.5, TypeError), ("3", TypeError), (True, TypeError), (-1, ValueError),
                                        (2**32, ValueError)])
def test_set_seed_rejects_bad_input(bad, error):
    with pytest.raises(error, match="seed"):
        set_seed(bad)


def test_get_device_picks_cuda_only_when_present():
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert get_device().type == expected
    assert get_device("cpu") == torch.device("cpu")


def test_get_device_errors():
    with pytest.raises(ValueError, match="prefer"):
        get_device("tpu")
    with pytest.raises(TypeError, match="prefer"):
        get_device(0)
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="no CUDA"):
            get_device("cuda")


def test_set_threads_sets_and_returns():
    before = torch.get_num_threads()
    try:
        assert set_threads(1) == 1 and torch.get_num_threads() == 1
        n = set_threads()
        assert 1 <= n <= 4 and torch.get_num_threads() == n
    finally:
        torch.set_num_threads(before)


def test_set_threads_defaults_to_physical_cores_at_most_four():
    before = torch.get_num_threads()
    try:
        assert set_threads() == min(4, physical_cores())
    finally:
        torch.set_num_threads(before)


def test_physical_cores_counts_cores_not_hyper_threads(monkeypatch, tmp_path):
    assert 1 <= physical_cores() <= (os.cpu_count() or 1)
    # four logical CPUs, two per core: two physical cores
    topology = {0: ("0", "0"), 1: ("0", "0"), 2: ("0", "1"), 3: ("0", "1")}
    real_open = open

    def fake_open(path, *args, **kwargs):
        path = str(path)
        if path.startswith("/sys/devices/system/cpu/cpu"):
            cpu = int(path.split("/cpu")[-1].split("/")[0])
            field = 0 if path.endswith("physical_package_id") else 1
            target = tmp_path / f"{cpu}-{field}"
            target.write_text(topology[cpu][field] + "\n")
            return real_open(target, *args, **kwargs)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(topology), raising=False)
    monkeypatch.setattr("builtins.open", fake_open)
    assert physical_cores() == 2


def test_physical_cores_without_topology_assumes_two_threads_per_core(monkeypatch):
    def no_sys(*args, **kwargs):
        raise OSError("no /sys here")

    monkeypatch.setattr("builtins.open", no_sys)
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert physical_cores() == 4


@pytest.mark.parametrize("bad, error", [(0, ValueError), (-2, ValueError), (2.0, TypeError), (True, TypeError)])
def test_set_threads_rejects_bad_input(bad, error):
    with pytest.raises(error, match="n must"):
        set_threads(bad)


def test_check_int_accepts_ints_in_range_and_names_the_argument_otherwise():
    from seq2seq_lib.core import check_int
    assert check_int(3, "n", 1) == 3
    assert check_int(30, "max_len", 1, 30) == 30
    with pytest.raises(TypeError, match="n must be an int, got bool"):
        check_int(True, "n", 1)
    with pytest.raises(TypeError, match="n must be an int, got float"):
        check_int(2.0, "n", 1)
    with pytest.raises(ValueError, match="n must be >= 1, got 0"):
        check_int(0, "n", 1)
    with pytest.raises(ValueError, match="max_len must be between 1 and 30, got 31"):
        check_int(31, "max_len", 1, 30)
