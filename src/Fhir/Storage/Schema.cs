namespace YTeSo.Fhir.Storage;

/// <summary>
/// The FHIR store's schema, as numbered migrations per engine. Applied in order at start-up and recorded in
/// <c>schema_migrations</c>; a migration is never edited once shipped, only followed by a new one.
/// Layout (ADR 0002): current versions in <c>resources</c> (one row per resource, ordered integer key),
/// older versions in <c>resource_history</c>, and one typed index table per search-parameter kind keyed by the
/// resource key, so searches seek on (param_id, value) and join back on the key.
/// </summary>
internal static class Schema
{
    public static readonly IReadOnlyList<string> Sqlite =
    [
        """
        CREATE TABLE resources (
            resource_key INTEGER PRIMARY KEY,
            resource_type TEXT NOT NULL,
            resource_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            last_updated INTEGER NOT NULL,
            is_deleted INTEGER NOT NULL DEFAULT 0,
            body TEXT
        );
        CREATE UNIQUE INDEX ux_resources_type_id ON resources (resource_type, resource_id);
        CREATE INDEX ix_resources_type_updated ON resources (resource_type, last_updated);
        CREATE INDEX ix_resources_updated ON resources (last_updated);
        CREATE TABLE resource_history (
            resource_key INTEGER NOT NULL,
            resource_type TEXT NOT NULL,
            resource_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            last_updated INTEGER NOT NULL,
            is_deleted INTEGER NOT NULL,
            body TEXT,
            PRIMARY KEY (resource_key, version)
        );
        CREATE INDEX ix_history_type_updated ON resource_history (resource_type, last_updated);
        CREATE INDEX ix_history_updated ON resource_history (last_updated);
        CREATE TABLE search_parameters (
            param_id INTEGER PRIMARY KEY,
            resource_type TEXT NOT NULL,
            code TEXT NOT NULL,
            UNIQUE (resource_type, code)
        );
        CREATE TABLE idx_string (resource_key INTEGER NOT NULL, param_id INTEGER NOT NULL, value_folded TEXT NOT NULL, value_exact TEXT NOT NULL);
        CREATE INDEX ix_idx_string_value ON idx_string (param_id, value_folded, resource_key);
        CREATE INDEX ix_idx_string_key ON idx_string (resource_key, param_id);
        CREATE TABLE idx_token (resource_key INTEGER NOT NULL, param_id INTEGER NOT NULL, system TEXT, code TEXT, text_folded TEXT);
        CREATE INDEX ix_idx_token_code ON idx_token (param_id, code, system, resource_key);
        CREATE INDEX ix_idx_token_key ON idx_token (resource_key, param_id);
        CREATE TABLE idx_date (resource_key INTEGER NOT NULL, param_id INTEGER NOT NULL, low INTEGER NOT NULL, high INTEGER NOT NULL);
        CREATE INDEX ix_idx_date_value ON idx_date (param_id, low, high, resource_key);
        CREATE INDEX ix_idx_date_key ON idx_date (resource_key, param_id);
        CREATE TABLE idx_reference (resource_key INTEGER NOT NULL, param_id INTEGER NOT NULL, target_type TEXT, target_id TEXT NOT NULL);
        CREATE INDEX ix_idx_reference_target ON idx_reference (target_id, target_type, param_id, resource_key);
        CREATE INDEX ix_idx_reference_key ON idx_reference (resource_key, param_id);
        CREATE TABLE idx_number (resource_key INTEGER NOT NULL, param_id INTEGER NOT NULL, value REAL NOT NULL);
        CREATE INDEX ix_idx_number_value ON idx_number (param_id, value, resource_key);
        CREATE INDEX ix_idx_number_key ON idx_number (resource_key, param_id);
        CREATE TABLE idx_quantity (resource_key INTEGER NOT NULL, param_id INTEGER NOT NULL, system TEXT, code TEXT, low REAL, high REAL);
        CREATE INDEX ix_idx_quantity_value ON idx_quantity (param_id, code, low, resource_key);
        CREATE INDEX ix_idx_quantity_key ON idx_quantity (resource_key, param_id);
        CREATE TABLE idx_uri (resource_key INTEGER NOT NULL, param_id INTEGER NOT NULL, value TEXT NOT NULL);
        CREATE INDEX ix_idx_uri_value ON idx_uri (param_id, value, resource_key);
        CREATE INDEX ix_idx_uri_key ON idx_uri (resource_key, param_id);
        CREATE TABLE export_jobs (
            job_id TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            request_url TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            completed_at INTEGER,
            manifest TEXT,
            error TEXT
        );
        """,
        """
        -- vread and instance history seek by (type, id) instead of scanning every old version of the type.
        CREATE INDEX ix_history_type_id ON resource_history (resource_type, resource_id, version);
        """,

        // Planner statistics shaped like a large store (sqlite.org/fileformat2.html#stat1tab). Without them SQLite
        // guesses that "resource_type = ?" is selective and walks every resource of the type checking each against
        // the search criteria (17 searches/s on 100k resources); and in a sort subquery it picked the value index
        // (param_id only) over the key index. With them it seeks the criterion's index and looks rows up by key.
        // A real ANALYZE (or PRAGMA optimize) replaces these rows with measured ones of the same shape.
        """
        ANALYZE sqlite_schema;
        DELETE FROM sqlite_stat1 WHERE tbl IN ('resources', 'idx_string', 'idx_token', 'idx_date', 'idx_reference', 'idx_number', 'idx_quantity', 'idx_uri');
        INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
            ('resources', 'ux_resources_type_id', '1000000 100000 1'),
            ('resources', 'ix_resources_type_updated', '1000000 100000 2'),
            ('resources', 'ix_resources_updated', '1000000 2'),
            ('idx_string', 'ix_idx_string_value', '1000000 50000 20 1'),
            ('idx_string', 'ix_idx_string_key', '1000000 8 2'),
            ('idx_token', 'ix_idx_token_code', '1000000 50000 100 100 1'),
            ('idx_token', 'ix_idx_token_key', '1000000 10 2'),
            ('idx_date', 'ix_idx_date_value', '1000000 50000 20 20 1'),
            ('idx_date', 'ix_idx_date_key', '1000000 4 2'),
            ('idx_reference', 'ix_idx_reference_target', '1000000 20 20 10 1'),
            ('idx_reference', 'ix_idx_reference_key', '1000000 6 2'),
            ('idx_number', 'ix_idx_number_value', '1000000 50000 20 1'),
            ('idx_number', 'ix_idx_number_key', '1000000 2 1'),
            ('idx_quantity', 'ix_idx_quantity_value', '1000000 50000 1000 20 1'),
            ('idx_quantity', 'ix_idx_quantity_key', '1000000 2 1'),
            ('idx_uri', 'ix_idx_uri_value', '1000000 50000 20 1'),
            ('idx_uri', 'ix_idx_uri_key', '1000000 2 1');
        """,
        // Who may see a patient's record (src/Fhir/Access, docs/security.md): care relationships and consent decisions,
        // derived on write from the resource with key source_key like its search-index rows. kind: 1 care (target = the
        // Organization id), 2 consent share (target = Organization id or '*' for every facility), 3 consent deny (target =
        // a security label code); valid_from/valid_to bound the consent's provision.period (UTC ticks).
        // The patient filter seeks (patient_id, kind, target) per candidate row; a facility's patients are found through
        // (kind, target, patient_id); updates and deletes of the source find its rows through source_key.
        """
        CREATE TABLE patient_access (
            source_key INTEGER NOT NULL,
            patient_id TEXT NOT NULL,
            kind INTEGER NOT NULL,
            target TEXT NOT NULL,
            valid_from INTEGER NOT NULL,
            valid_to INTEGER NOT NULL
        );
        CREATE INDEX ix_patient_access_patient ON patient_access (patient_id, kind, target);
        CREATE INDEX ix_patient_access_target ON patient_access (kind, target, patient_id);
        CREATE INDEX ix_patient_access_source ON patient_access (source_key);
        INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
            ('patient_access', 'ix_patient_access_patient', '1000000 3 2 1'),
            ('patient_access', 'ix_patient_access_target', '1000000 330000 500 1'),
            ('patient_access', 'ix_patient_access_source', '1000000 1');
        """,
        """
        -- $export jobs belong to the caller who started them (Bulk Data: status and files only for the requester).
        ALTER TABLE export_jobs ADD COLUMN requested_by TEXT;
        """,
        // The outbox of resource changes (src/Fhir/Changes): one row per consumer and written version of a subscribed type,
        // in the write's transaction; deleted on acknowledgement (by consumer, type, id and version up to).
        """
        CREATE TABLE resource_changes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            consumer TEXT NOT NULL,
            resource_type TEXT NOT NULL,
            resource_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            is_deleted INTEGER NOT NULL
        );
        CREATE INDEX ix_resource_changes_resource ON resource_changes (consumer, resource_type, resource_id, version);
        CREATE INDEX ix_resource_changes_consumer ON resource_changes (consumer, seq);
        """,
    ];

    public static readonly IReadOnlyList<string> Postgres =
    [
        """
        CREATE TABLE resources (
            resource_key BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            resource_type TEXT COLLATE "C" NOT NULL,
            resource_id TEXT COLLATE "C" NOT NULL,
            version INTEGER NOT NULL,
            last_updated BIGINT NOT NULL,
            is_deleted SMALLINT NOT NULL DEFAULT 0,
            body JSONB
        );
        CREATE UNIQUE INDEX ux_resources_type_id ON resources (resource_type, resource_id);
        CREATE INDEX ix_resources_type_updated ON resources (resource_type, last_updated);
        CREATE INDEX ix_resources_updated ON resources (last_updated);
        CREATE TABLE resource_history (
            resource_key BIGINT NOT NULL,
            resource_type TEXT NOT NULL,
            resource_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            last_updated BIGINT NOT NULL,
            is_deleted SMALLINT NOT NULL,
            body JSONB,
            PRIMARY KEY (resource_key, version)
        );
        CREATE INDEX ix_history_type_updated ON resource_history (resource_type, last_updated);
        CREATE INDEX ix_history_updated ON resource_history (last_updated);
        CREATE TABLE search_parameters (
            param_id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            resource_type TEXT NOT NULL,
            code TEXT NOT NULL,
            UNIQUE (resource_type, code)
        );
        CREATE TABLE idx_string (resource_key BIGINT NOT NULL, param_id INTEGER NOT NULL, value_folded TEXT COLLATE "C" NOT NULL, value_exact TEXT COLLATE "C" NOT NULL);
        CREATE INDEX ix_idx_string_value ON idx_string (param_id, value_folded, resource_key);
        CREATE INDEX ix_idx_string_key ON idx_string (resource_key, param_id);
        CREATE TABLE idx_token (resource_key BIGINT NOT NULL, param_id INTEGER NOT NULL, system TEXT COLLATE "C", code TEXT COLLATE "C", text_folded TEXT COLLATE "C");
        CREATE INDEX ix_idx_token_code ON idx_token (param_id, code, system, resource_key);
        CREATE INDEX ix_idx_token_key ON idx_token (resource_key, param_id);
        CREATE TABLE idx_date (resource_key BIGINT NOT NULL, param_id INTEGER NOT NULL, low BIGINT NOT NULL, high BIGINT NOT NULL);
        CREATE INDEX ix_idx_date_value ON idx_date (param_id, low, high, resource_key);
        CREATE INDEX ix_idx_date_key ON idx_date (resource_key, param_id);
        CREATE TABLE idx_reference (resource_key BIGINT NOT NULL, param_id INTEGER NOT NULL, target_type TEXT COLLATE "C", target_id TEXT COLLATE "C" NOT NULL);
        CREATE INDEX ix_idx_reference_target ON idx_reference (target_id, target_type, param_id, resource_key);
        CREATE INDEX ix_idx_reference_key ON idx_reference (resource_key, param_id);
        CREATE TABLE idx_number (resource_key BIGINT NOT NULL, param_id INTEGER NOT NULL, value DOUBLE PRECISION NOT NULL);
        CREATE INDEX ix_idx_number_value ON idx_number (param_id, value, resource_key);
        CREATE INDEX ix_idx_number_key ON idx_number (resource_key, param_id);
        CREATE TABLE idx_quantity (resource_key BIGINT NOT NULL, param_id INTEGER NOT NULL, system TEXT COLLATE "C", code TEXT COLLATE "C", low DOUBLE PRECISION, high DOUBLE PRECISION);
        CREATE INDEX ix_idx_quantity_value ON idx_quantity (param_id, code, low, resource_key);
        CREATE INDEX ix_idx_quantity_key ON idx_quantity (resource_key, param_id);
        CREATE TABLE idx_uri (resource_key BIGINT NOT NULL, param_id INTEGER NOT NULL, value TEXT COLLATE "C" NOT NULL);
        CREATE INDEX ix_idx_uri_value ON idx_uri (param_id, value, resource_key);
        CREATE INDEX ix_idx_uri_key ON idx_uri (resource_key, param_id);
        CREATE TABLE export_jobs (
            job_id TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            request_url TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            completed_at BIGINT,
            manifest TEXT,
            error TEXT
        );
        """,
        """
        -- vread and instance history seek by (type, id) instead of scanning every old version of the type.
        CREATE INDEX ix_history_type_id ON resource_history (resource_type, resource_id, version);
        """,
        // patient_access: see the SQLite migration that creates it (there, planner statistics are one migration more).
        """
        CREATE TABLE patient_access (
            source_key BIGINT NOT NULL,
            patient_id TEXT COLLATE "C" NOT NULL,
            kind SMALLINT NOT NULL,
            target TEXT COLLATE "C" NOT NULL,
            valid_from BIGINT NOT NULL,
            valid_to BIGINT NOT NULL
        );
        CREATE INDEX ix_patient_access_patient ON patient_access (patient_id, kind, target);
        CREATE INDEX ix_patient_access_target ON patient_access (kind, target, patient_id);
        CREATE INDEX ix_patient_access_source ON patient_access (source_key);
        """,
        """
        -- $export jobs belong to the caller who started them (Bulk Data: status and files only for the requester).
        ALTER TABLE export_jobs ADD COLUMN requested_by TEXT;
        """,
        """
        CREATE TABLE resource_changes (
            seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            consumer TEXT COLLATE "C" NOT NULL,
            resource_type TEXT COLLATE "C" NOT NULL,
            resource_id TEXT COLLATE "C" NOT NULL,
            version INTEGER NOT NULL,
            is_deleted SMALLINT NOT NULL
        );
        CREATE INDEX ix_resource_changes_resource ON resource_changes (consumer, resource_type, resource_id, version);
        CREATE INDEX ix_resource_changes_consumer ON resource_changes (consumer, seq);
        """,
    ];
}
