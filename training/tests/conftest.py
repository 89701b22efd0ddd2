import os
import sys

import pytest

TRAINING = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(TRAINING)
SHARED = os.path.join(REPO, "..", "shared", "data", "histology")
sys.path.insert(0, TRAINING)

import torch  # noqa: E402

torch.set_num_threads(1)


@pytest.fixture
def shared_dir():
    if not os.path.isdir(SHARED):
        pytest.skip("../shared/data/histology not available")
    return SHARED
