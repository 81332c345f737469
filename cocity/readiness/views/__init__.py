"""Readiness pages: models, rounds (answering, results), the layered framework, benchmarks.

Views stay thin: resolve the territory and the row, check the permission, call one service
or selector, render. Chart files are served by :mod:`cocity.readiness.chart_views`.

One module per domain (:mod:`.overview`, :mod:`.maturity_models`, :mod:`.rounds`,
:mod:`.layers`, :mod:`.benchmark`); :mod:`.pages` holds what they share. ``urls`` imports the
modules directly.
"""
