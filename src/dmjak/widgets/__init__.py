"""Widgets, one module per notebook topic: they wire labelled controls to a chart builder in ``dmjak.charts``."""
