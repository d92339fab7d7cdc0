"""Reproducibility, device and thread helpers."""

from __future__ import annotations

import os
import random

import numpy as np
import torch

__all__ = ["set_seed", "get_device", "set_threads", "physical_cores"]


def check_int(value: object, name: str, minimum: int, maximum: int | None = None) -> int:
    """Return ``value`` if it is an int in ``[minimum, maximum]``; raise TypeError/ValueError naming ``name`` otherwise.

    The package's argument check for counts, lengths and seeds (``bool`` is rejected although it is an ``int``).
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}: {value!r}")
    if value < minimum or (maximum is not None and value > maximum):
        bound = f">= {minimum}" if maximum is None else f"between {minimum} and {maximum}"
        raise ValueError(f"{name} must be {bound}, got {value}")
    return value


def set_seed(seed: int) -> int:
    """Seed Python's ``random``, NumPy and PyTorch (CPU and CUDA); return the seed."""
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    if not 0 <= seed < 2**32:
        raise ValueError(f"seed must be in [0, 2**32), got {seed}")
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds every CUDA device
    return seed


def get_device(prefer: str | None = None) -> torch.device:
    """Return ``cuda`` when a GPU is present, else ``cpu``; ``prefer`` forces one of them."""
    if prefer is None:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if not isinstance(prefer, str):
        raise TypeError(f"prefer must be 'cpu', 'cuda' or None, got {type(prefer).__name__}")
    if prefer not in ("cpu", "cuda"):
        raise ValueError(f"prefer must be 'cpu', 'cuda' or None, got {prefer!r}")
    if prefer == "cuda" and not torch.cuda.is_available():
        raise ValueError("prefer='cuda' was requested but no CUDA device is available")
    return torch.device(prefer)


def physical_cores() -> int:
    """Number of physical CPU cores this process may run on (hyper-threads of one core count once).

    Read from Linux's ``/sys/devices/system/cpu/cpu*/topology``; where that is not available (macOS,
    Windows) it assumes two hardware threads per core: half of ``os.cpu_count()``, at least 1.
    """
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    cores = set()
    for cpu in cpus:
        topology = f"/sys/devices/system/cpu/cpu{cpu}/topology"
        try:
            with open(f"{topology}/physical_package_id") as package, open(f"{topology}/core_id") as core:
                cores.add((package.read().strip(), core.read().strip()))
        except OSError:
            return max(1, (os.cpu_count() or 1) // 2)
    return max(1, len(cores))


def set_threads(n: int | None = None) -> int:
    """Set PyTorch's intra-op CPU threads and return the number.

    The default is one thread per physical core (:func:`physical_cores`), at most 4. Hyper-threads of a
    core share its arithmetic units, so a thread per logical CPU only adds contention; beyond a few
    threads the course's small models stop getting faster; and threads competing for busy cores
    (another program, another kernel) can make training tens of times slower: pass ``n=1`` when
    running several notebooks at once.
    """
    if n is None:
        n = min(4, physical_cores())
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an int or None, got {type(n).__name__}")
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    torch.set_num_threads(n)
    return n
