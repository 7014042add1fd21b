"""nnplay: see how a neural network learns, in the terminal."""

__version__ = "0.1.0"
