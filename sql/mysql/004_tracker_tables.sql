-- 004 (MySQL/MariaDB): tracker-owned tables for the whitelist and key issues (not used yet).
-- Completed counts are not here: they live in the torrent grains' Orleans state.

CREATE TABLE IF NOT EXISTS tracker_whitelist
(
    info_hash CHAR(40)    NOT NULL PRIMARY KEY, -- lower-case hex of the 20-byte info hash
    created   DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS tracker_keys
(
    `key`       CHAR(32) NOT NULL PRIMARY KEY,
    valid_until BIGINT   NULL -- unix seconds; NULL = never expires
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
