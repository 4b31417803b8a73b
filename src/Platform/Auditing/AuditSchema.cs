namespace YTeSo.Platform.Auditing;

/// <summary>
/// The audit trail's schema, as numbered migrations per engine, recorded in <c>audit_schema_migrations</c> (its own
/// list: on PostgreSQL the trail shares the FHIR store's database, on SQLite it has a file of its own).
/// <para>
/// Searching by patient goes through <c>audit_patient(patient_id, seq)</c>, one row per patient per record, whose
/// primary key is the search order: "who touched patient X, newest first" is one range seek on a B-tree walked
/// backwards, whatever the size of the trail. A GIN index over a JSON column would find the rows too, but could not
/// return them in seq order (every match is fetched and sorted), and GIN's pending list makes the append path slower.
/// Time and actor searches use (recorded_at, seq) and (actor_id, seq); break-glass has a partial index because it
/// is rare and exactly what auditors look for.
/// </para>
/// <para>
/// The triggers refuse UPDATE, DELETE and TRUNCATE. They are defence in depth only: the owner of the tables can drop
/// them. The guarantee is the hash chain, checked by <see cref="AuditVerifier"/>.
/// </para>
/// </summary>
internal static class AuditSchema
{
    public static readonly IReadOnlyList<string> Sqlite =
    [
        """
        CREATE TABLE audit_trail (
            seq INTEGER PRIMARY KEY,
            recorded_at INTEGER NOT NULL,
            action TEXT NOT NULL,
            outcome TEXT NOT NULL,
            actor_id TEXT NOT NULL,
            actor_display TEXT NOT NULL,
            role TEXT,
            facility_id TEXT,
            client_id TEXT,
            source_ip TEXT,
            purpose TEXT,
            resource_type TEXT,
            resource_ids TEXT,
            patient_ids TEXT,
            query TEXT,
            break_glass INTEGER NOT NULL,
            detail TEXT,
            prev_hash BLOB NOT NULL,
            hash BLOB NOT NULL
        );
        CREATE INDEX ix_audit_trail_time ON audit_trail (recorded_at, seq);
        CREATE INDEX ix_audit_trail_actor ON audit_trail (actor_id, seq);
        CREATE INDEX ix_audit_trail_break_glass ON audit_trail (seq) WHERE break_glass;
        CREATE TABLE audit_patient (
            patient_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY (patient_id, seq)
        ) WITHOUT ROWID;
        CREATE INDEX ix_audit_patient_seq ON audit_patient (seq);
        CREATE TRIGGER audit_trail_no_update BEFORE UPDATE ON audit_trail BEGIN SELECT RAISE(ABORT, 'audit_trail is append-only'); END;
        CREATE TRIGGER audit_trail_no_delete BEFORE DELETE ON audit_trail BEGIN SELECT RAISE(ABORT, 'audit_trail is append-only'); END;
        CREATE TRIGGER audit_patient_no_update BEFORE UPDATE ON audit_patient BEGIN SELECT RAISE(ABORT, 'audit_patient is append-only'); END;
        CREATE TRIGGER audit_patient_no_delete BEFORE DELETE ON audit_patient BEGIN SELECT RAISE(ABORT, 'audit_patient is append-only'); END;
        """,
    ];

    public static readonly IReadOnlyList<string> Postgres =
    [
        """
        CREATE TABLE audit_trail (
            seq BIGINT PRIMARY KEY,
            recorded_at BIGINT NOT NULL,
            action TEXT COLLATE "C" NOT NULL,
            outcome TEXT COLLATE "C" NOT NULL,
            actor_id TEXT COLLATE "C" NOT NULL,
            actor_display TEXT NOT NULL,
            role TEXT,
            facility_id TEXT,
            client_id TEXT,
            source_ip TEXT,
            purpose TEXT,
            resource_type TEXT,
            resource_ids TEXT,
            patient_ids TEXT,
            query TEXT,
            break_glass BOOLEAN NOT NULL,
            detail TEXT,
            prev_hash BYTEA NOT NULL,
            hash BYTEA NOT NULL
        );
        CREATE INDEX ix_audit_trail_time ON audit_trail (recorded_at, seq);
        CREATE INDEX ix_audit_trail_actor ON audit_trail (actor_id, seq);
        CREATE INDEX ix_audit_trail_break_glass ON audit_trail (seq) WHERE break_glass;
        CREATE TABLE audit_patient (
            patient_id TEXT COLLATE "C" NOT NULL,
            seq BIGINT NOT NULL,
            PRIMARY KEY (patient_id, seq)
        );
        CREATE INDEX ix_audit_patient_seq ON audit_patient (seq);
        CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
        END
        $$;
        CREATE TRIGGER audit_trail_append_only BEFORE UPDATE OR DELETE ON audit_trail FOR EACH ROW EXECUTE FUNCTION audit_append_only();
        CREATE TRIGGER audit_trail_no_truncate BEFORE TRUNCATE ON audit_trail FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
        CREATE TRIGGER audit_patient_append_only BEFORE UPDATE OR DELETE ON audit_patient FOR EACH ROW EXECUTE FUNCTION audit_append_only();
        CREATE TRIGGER audit_patient_no_truncate BEFORE TRUNCATE ON audit_patient FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
        """,
    ];
}
