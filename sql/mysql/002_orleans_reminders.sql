-- 002 (MySQL/MariaDB): Orleans ADO.NET reminder table. Idempotent like 001.
-- GrainHash is the grain's uniform hash as Orleans sends it (uint reinterpreted as signed INT);
-- ReadRangeRows1Key serves a contiguous range, ReadRangeRows2Key a range that wraps around.

CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    VARCHAR(150) NOT NULL,
    GrainId      VARCHAR(150) NOT NULL,
    ReminderName VARCHAR(150) NOT NULL,
    StartTime    DATETIME(3)  NOT NULL,
    Period       BIGINT       NOT NULL,
    GrainHash    INT          NOT NULL,
    Version      INT          NOT NULL,
    PRIMARY KEY (ServiceId, GrainId, ReminderName),
    KEY IX_OrleansRemindersTable_GrainHash (ServiceId, GrainHash)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Returns the row's new version (1 for a new reminder); LAST_INSERT_ID(expr) carries it.
REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpsertReminderRowKey', '
INSERT INTO OrleansRemindersTable (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, LAST_INSERT_ID(1))
ON DUPLICATE KEY UPDATE
    StartTime = @StartTime,
    Period = @Period,
    GrainHash = @GrainHash,
    Version = LAST_INSERT_ID(Version + 1);
SELECT LAST_INSERT_ID() AS Version;
');

REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowsKey', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainId = @GrainId;
');

REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowKey', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName;
');

REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows1Key', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash;
');

REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows2Key', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
');

-- One column, read as bool: 1 when the row (at that version) was deleted.
REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowKey', '
DELETE FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName
  AND Version = @Version;
SELECT ROW_COUNT() AS Deleted;
');

REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowsKey', '
DELETE FROM OrleansRemindersTable WHERE ServiceId = @ServiceId;
');
