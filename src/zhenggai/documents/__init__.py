"""The unit's document settings: what its 版头 says (GB/T 9704 §7.2)."""
