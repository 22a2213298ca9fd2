"""Identification and login (等保 2.0): lockout, password rules, the second factor."""
