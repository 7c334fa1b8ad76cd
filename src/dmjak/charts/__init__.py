"""Chart builders: functions that take plain data and options and return an Altair chart.

They never display anything (see ``dmjak.render``), so tests can inspect their specs without a kernel.
"""
