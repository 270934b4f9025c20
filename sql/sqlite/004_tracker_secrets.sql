-- 004 (SQLite): secrets the whole cluster shares, created once by the first silo that needs one
-- (INSERT OR IGNORE, then everyone reads the winning row). Today: connection_id_key, the 16-byte
-- SipHash key of UDP connection ids.

CREATE TABLE IF NOT EXISTS tracker_secrets
(
    name    TEXT NOT NULL PRIMARY KEY,
    value   BLOB NOT NULL,
    created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
