"""Models and score calculators: plain functions of plain data (PK, inhibition, scores, reconstructions).

Nothing here draws or displays; the charts and widgets build on these.
"""
