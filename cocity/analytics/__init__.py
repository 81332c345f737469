"""Pure computations for cocity.

Nothing under this package imports Django or any cocity app: arrays, graphs and frozen
dataclasses go in and come out, randomness is passed in as a ``numpy.random.Generator``
or a seed. A test (``cocity/analytics/tests/test_boundary.py``) enforces the boundary.
"""
