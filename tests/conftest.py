import numpy as np
import pytest


@pytest.fixture
def xor_data():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    T = np.array([[0], [1], [1], [0]], dtype=float)
    return X, T
