"""The JSON API (django-ninja): the same access rules and actions as the screens."""
