"""Tamper evidence (防篡改): a hash chain over every stored event, signed checkpoints, verification, export.

See docs/tamper-evidence.md. Modules: ``chain`` (the hashing), ``recorders`` (chain rows written
in the events' own transaction), ``store`` (snapshot reads), ``verify`` (the walk), ``keys``
(Ed25519), ``guard`` (the service), ``alarm`` (the critical flag), ``export``, ``jobs``, ``commands``.
"""
