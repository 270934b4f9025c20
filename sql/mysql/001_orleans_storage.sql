-- 001 (MySQL/MariaDB): bookkeeping tables and Orleans ADO.NET grain storage.
-- Idempotent: CREATE TABLE IF NOT EXISTS (indexes inline, portable to MySQL 8 and MariaDB) and
-- REPLACE INTO for the OrleansQuery rows. SchemaInstaller records version 1 in schema_version.
-- Everything is utf8mb4; identity strings use utf8mb4_bin so comparisons are exact.
-- No question marks anywhere in these files: MySqlConnector reads them as positional parameters.

CREATE TABLE IF NOT EXISTS schema_version
(
    version    INT          NOT NULL PRIMARY KEY,
    name       VARCHAR(200) NOT NULL,
    applied_at DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  VARCHAR(64) NOT NULL PRIMARY KEY,
    QueryText TEXT        NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- GrainKey is a digest of the full identity: the strings are too long for one InnoDB unique key,
-- and the unique key is what makes two concurrent first writes of one grain collide.
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            INT          NOT NULL,
    GrainIdN0              BIGINT       NOT NULL,
    GrainIdN1              BIGINT       NOT NULL,
    GrainTypeHash          INT          NOT NULL,
    GrainTypeString        VARCHAR(512) NOT NULL,
    GrainIdExtensionString VARCHAR(512) NOT NULL DEFAULT '',
    ServiceId              VARCHAR(150) NOT NULL,
    PayloadBinary          LONGBLOB     NULL,
    ModifiedOn             DATETIME(3)  NOT NULL,
    Version                INT          NOT NULL,
    GrainKey BINARY(32) AS (UNHEX(SHA2(CONCAT_WS(CHAR(31 USING utf8mb4), ServiceId, GrainTypeString,
        GrainIdN0, GrainIdN1, GrainIdExtensionString), 256))) STORED,
    UNIQUE KEY UX_OrleansStorage_GrainKey (GrainKey),
    KEY IX_OrleansStorage_Hash (GrainIdHash, GrainTypeHash)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Write. LAST_INSERT_ID(expr) is connection-local and needs no user variables, so it carries the
-- outcome from statement to statement: reset to 0; the UPDATE (matches only when the stored
-- version equals the ETag) sets it to the new version; the INSERT runs only for a first write
-- (ETag NULL) and sets 1, or, when the grain already has a row (a concurrent or stale first
-- write), the duplicate-key branch changes nothing and sets it back to 0. The final SELECT is the
-- one row Orleans reads: the new version, or NULL on a conflict (InconsistentStateException).
REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', '
DO LAST_INSERT_ID(0);
UPDATE OrleansStorage
SET PayloadBinary = @PayloadBinary,
    ModifiedOn = UTC_TIMESTAMP(3),
    Version = LAST_INSERT_ID(Version + 1)
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '''')
  AND ServiceId = @ServiceId
  AND Version = @GrainStateVersion;
INSERT INTO OrleansStorage
    (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString,
     ServiceId, PayloadBinary, ModifiedOn, Version)
SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
       COALESCE(@GrainIdExtensionString, ''''), @ServiceId, @PayloadBinary, UTC_TIMESTAMP(3), LAST_INSERT_ID(1)
FROM DUAL
WHERE @GrainStateVersion IS NULL
ON DUPLICATE KEY UPDATE Version = Version + LAST_INSERT_ID(0);
SELECT NULLIF(LAST_INSERT_ID(), 0) AS NewGrainStateVersion;
');

REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', '
SELECT PayloadBinary, Version
FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '''')
  AND ServiceId = @ServiceId;
');

-- Clear keeps the row (payload NULL, version + 1); new version or NULL on conflict.
REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', '
DO LAST_INSERT_ID(0);
UPDATE OrleansStorage
SET PayloadBinary = NULL,
    ModifiedOn = UTC_TIMESTAMP(3),
    Version = LAST_INSERT_ID(Version + 1)
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '''')
  AND ServiceId = @ServiceId
  AND Version = @GrainStateVersion;
SELECT NULLIF(LAST_INSERT_ID(), 0) AS NewGrainStateVersion;
');

-- Only used with AdoNetGrainStorageOptions.DeleteStateOnClear (off in this project).
REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteStorageKey', '
DELETE FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '''')
  AND ServiceId = @ServiceId
  AND Version = @GrainStateVersion;
SELECT CASE WHEN ROW_COUNT() > 0 THEN @GrainStateVersion + 1 END AS NewGrainStateVersion;
');
