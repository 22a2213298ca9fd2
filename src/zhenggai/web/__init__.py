"""The ledger's screens: thin server-rendered views over ``zhenggai.ledger``."""
