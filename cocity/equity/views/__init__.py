"""Equity pages: the findings and map, the curves, tables, reach of initiatives, what-if, imports.

Every page reads the stored results (:func:`selectors.equity_state`); none computes them.

Each family of pages has its module: :mod:`.overview` (findings, map and curves), :mod:`.tables`
(areas and assets), :mod:`.reach` (reach of initiatives and their allocations), :mod:`.whatif`,
:mod:`.data` (imports and computing) and :mod:`.downloads`; ``urls.py`` imports them directly.
"""
