-- 003 (MySQL/MariaDB): Orleans ADO.NET clustering (membership) for multi-silo deployments.
-- Idempotent: tables IF NOT EXISTS, the procedure dropped and re-created, queries replaced.
-- The silo only needs this with UseAdoNetClustering (Microsoft.Orleans.Clustering.AdoNet).
-- Orleans bumps the deployment's table version with every membership change and passes the version
-- it last read; a change applies only when that version is still current.

CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId VARCHAR(150) NOT NULL PRIMARY KEY,
    Timestamp    TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    Version      INT          NOT NULL DEFAULT 0
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId VARCHAR(150)  NOT NULL,
    Address      VARCHAR(45)   NOT NULL,
    Port         INT           NOT NULL,
    Generation   INT           NOT NULL,
    SiloName     VARCHAR(150)  NOT NULL,
    HostName     VARCHAR(150)  NOT NULL,
    Status       INT           NOT NULL,
    ProxyPort    INT           NULL,
    SuspectTimes VARCHAR(8000) NULL,
    StartTime    DATETIME(3)   NOT NULL,
    IAmAliveTime DATETIME(3)   NOT NULL,
    PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_OrleansMembershipTable_Version FOREIGN KEY (DeploymentId)
        REFERENCES OrleansMembershipVersionTable (DeploymentId)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Version bump and row insert must succeed or fail together, hence a procedure with a transaction.
DROP PROCEDURE IF EXISTS OrleansTracker_InsertMembership;

CREATE PROCEDURE OrleansTracker_InsertMembership
(
    IN p_DeploymentId VARCHAR(150), IN p_Address VARCHAR(45), IN p_Port INT, IN p_Generation INT,
    IN p_Version INT, IN p_SiloName VARCHAR(150), IN p_HostName VARCHAR(150), IN p_Status INT,
    IN p_ProxyPort INT, IN p_StartTime DATETIME(3), IN p_IAmAliveTime DATETIME(3)
)
BEGIN
    DECLARE v_rows INT DEFAULT 0;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; END;
    START TRANSACTION;
    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1
    WHERE DeploymentId = p_DeploymentId AND Version = p_Version;
    SET v_rows = ROW_COUNT();
    IF v_rows > 0 THEN
        INSERT INTO OrleansMembershipTable
            (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
        SELECT p_DeploymentId, p_Address, p_Port, p_Generation, p_SiloName, p_HostName, p_Status, p_ProxyPort,
               p_StartTime, p_IAmAliveTime
        FROM DUAL
        WHERE NOT EXISTS (SELECT 1 FROM OrleansMembershipTable
                          WHERE DeploymentId = p_DeploymentId AND Address = p_Address
                            AND Port = p_Port AND Generation = p_Generation);
        SET v_rows = ROW_COUNT();
    END IF;
    IF v_rows > 0 THEN COMMIT; ELSE ROLLBACK; END IF;
    SELECT v_rows > 0 AS Inserted;
END;

-- 1 when this call created the deployment's version row, 0 when it already existed.
-- (LAST_INSERT_ID(expr) reports which branch ran without depending on the found-rows flag.)
REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipVersionKey', '
DO LAST_INSERT_ID(0);
INSERT INTO OrleansMembershipVersionTable (DeploymentId, Version)
VALUES (@DeploymentId, LAST_INSERT_ID(1) - 1)
ON DUPLICATE KEY UPDATE Version = Version + LAST_INSERT_ID(0);
SELECT LAST_INSERT_ID() AS Inserted;
');

REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipKey', '
CALL OrleansTracker_InsertMembership(@DeploymentId, @Address, @Port, @Generation, @Version,
    @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime);
');

-- One multi-table UPDATE: the version bump and the member change apply together or not at all.
REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateMembershipKey', '
UPDATE OrleansMembershipVersionTable v
JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
SET v.Version = v.Version + 1,
    m.Status = @Status,
    m.SuspectTimes = @SuspectTimes,
    m.IAmAliveTime = GREATEST(m.IAmAliveTime, @IAmAliveTime)
WHERE v.DeploymentId = @DeploymentId AND v.Version = @Version
  AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation;
SELECT ROW_COUNT() > 0 AS Updated;
');

REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateIAmAlivetimeKey', '
UPDATE OrleansMembershipTable
SET IAmAliveTime = GREATEST(IAmAliveTime, @IAmAliveTime)
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation;
');

REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('GatewaysQueryKey', '
SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;
');

-- The LEFT JOIN returns the version row even when the silo has no row yet.
REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadRowKey', '
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
       m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m
       ON m.DeploymentId = v.DeploymentId
      AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId;
');

REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadAllKey', '
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
       m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId;
');

REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteMembershipTableEntriesKey', '
DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
');

-- Status 6 is SiloStatus.Dead.
REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntriesKey', '
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND Status = 6
  AND IAmAliveTime < @IAmAliveTime AND StartTime < @IAmAliveTime
  AND COALESCE(SuspectTimes, '''') = '''';
');

-- Newer Orleans builds delete dead rows one by one, matching the values they read.
REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntryKey', '
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND Status = 6
  AND Address = @Address AND Port = @Port AND Generation = @Generation
  AND IAmAliveTime = @IAmAliveTime AND StartTime = @StartTime
  AND COALESCE(SuspectTimes, '''') = COALESCE(@SuspectTimes, '''');
');
