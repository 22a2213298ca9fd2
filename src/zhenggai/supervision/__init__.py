"""Supervision of the rectification: statutory deadlines, traffic lights, reminders, and the
escalation of overdue work (督办单 → 约谈). See ``docs/reminders.md``."""
