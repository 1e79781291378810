"""The catalogue's library protocols: OAI-PMH 2.0 (`oai`) and SRU 1.2/2.0 (`sru`), which share
the record serialisations of `records` and the sets of `sets`."""
