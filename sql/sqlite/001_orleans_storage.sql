-- 001 (SQLite): bookkeeping tables and Orleans ADO.NET grain storage.
-- Idempotent: every object is created with IF NOT EXISTS and every OrleansQuery row is upserted,
-- so the file can be run again by hand. SchemaInstaller records version 1 in schema_version.
--
-- OrleansStorage keeps one row per (service, grain type, grain id). The unique index below is the
-- identity the write upserts on. SQLite treats NULLs as distinct in a unique index, so a missing
-- key extension is stored as '' (the queries map a NULL parameter to '').

CREATE TABLE IF NOT EXISTS schema_version
(
    version    INTEGER NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            INTEGER NOT NULL,
    GrainIdN0              INTEGER NOT NULL,
    GrainIdN1              INTEGER NOT NULL,
    GrainTypeHash          INTEGER NOT NULL,
    GrainTypeString        TEXT    NOT NULL,
    GrainIdExtensionString TEXT    NOT NULL DEFAULT '',
    ServiceId              TEXT    NOT NULL,
    PayloadBinary          BLOB    NULL,
    ModifiedOn             TEXT    NOT NULL,
    Version                INTEGER NOT NULL
);

CREATE UNIQUE INDEX IF NOT EXISTS UX_OrleansStorage_Grain ON OrleansStorage
(
    GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString, ServiceId
);

-- Write: one statement takes the write lock once. A first write (@GrainStateVersion NULL) inserts
-- version 1; a later write updates only when the stored version equals the grain's ETag. The
-- SELECT guard keeps a stale ETag from resurrecting a row that no longer exists. On any conflict
-- nothing changes, RETURNING yields nothing and the second statement yields the single NULL row
-- that Orleans turns into an InconsistentStateException. Exactly one row comes back either way.
-- "PRAGMA synchronous = NORMAL" is connection state that a connection string cannot set; it is
-- safe in WAL mode (a power cut may lose the last commits, never corrupts) and it triples the
-- write rate, so each write sets it on whichever pooled connection runs the query.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', '
PRAGMA synchronous = NORMAL;
INSERT INTO OrleansStorage
    (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString,
     ServiceId, PayloadBinary, ModifiedOn, Version)
SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
       COALESCE(@GrainIdExtensionString, ''''), @ServiceId, @PayloadBinary,
       strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''), 1
WHERE @GrainStateVersion IS NULL
   OR EXISTS (SELECT 1 FROM OrleansStorage
              WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
                AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
                AND GrainTypeString = @GrainTypeString
                AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '''')
                AND ServiceId = @ServiceId)
ON CONFLICT (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString, ServiceId)
DO UPDATE SET
    PayloadBinary = excluded.PayloadBinary,
    ModifiedOn = excluded.ModifiedOn,
    Version = OrleansStorage.Version + 1
WHERE OrleansStorage.Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion;
SELECT NULL AS NewGrainStateVersion WHERE changes() = 0;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', '
SELECT PayloadBinary, Version
FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '''')
  AND ServiceId = @ServiceId;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Clear keeps the row (payload NULL, version + 1) so the version sequence never restarts and a
-- stale activation cannot write over a cleared state. Returns the new version, or NULL on conflict.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', '
PRAGMA synchronous = NORMAL;
UPDATE OrleansStorage
SET PayloadBinary = NULL,
    ModifiedOn = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''),
    Version = Version + 1
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '''')
  AND ServiceId = @ServiceId
  AND Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion;
SELECT NULL AS NewGrainStateVersion WHERE changes() = 0;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Only used when AdoNetGrainStorageOptions.DeleteStateOnClear is set (this project leaves it off):
-- removes the row when the version matches; same one-row contract as ClearStorageKey.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteStorageKey', '
PRAGMA synchronous = NORMAL;
DELETE FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '''')
  AND ServiceId = @ServiceId
  AND Version = @GrainStateVersion
RETURNING Version + 1 AS NewGrainStateVersion;
SELECT NULL AS NewGrainStateVersion WHERE changes() = 0;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
