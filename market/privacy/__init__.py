"""Personal data (个人信息保护): per-person keys outside the event store, sealing, masking, erasure and
recorded access (docs/personal-data.md)."""
