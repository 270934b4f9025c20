-- 005 (MySQL/MariaDB): secrets the whole cluster shares, created once by the first silo that needs
-- one (INSERT IGNORE, then everyone reads the winning row). Today: connection_id_key, the 16-byte
-- SipHash key of UDP connection ids. A rotation would add a row per generation and let frontends
-- accept the previous one for a connection id's lifetime (2 minutes).

CREATE TABLE IF NOT EXISTS tracker_secrets
(
    name    VARCHAR(64)   NOT NULL PRIMARY KEY,
    value   VARBINARY(64) NOT NULL,
    created DATETIME(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
