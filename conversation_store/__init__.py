"""Where conversations are kept: the tracker store, the lock store and the retention of old conversations."""
