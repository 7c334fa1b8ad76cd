"""Plumbing for the course "Dermatomyositis and JAK inhibition".

Teaching code stays visible in the notebooks; this package holds what they share: validated data
loading (``dmjak.data``), the one place charts are rendered (``dmjak.render``), parameter checks,
quizzes, models and score calculators.
"""

__version__ = "0.1.0"
