"""The ledger (台账): Django models, the actions that alone write them, and the access rules."""
