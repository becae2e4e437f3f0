-- The alert store: one row per alert_id, upserted by the jdbc alert sink (see docs/alert-delivery.md).
-- The sink runs this on first use (every statement is IF NOT EXISTS); the dashboard stack's
-- PostgreSQL runs it at initialization, so Grafana has a table before the first alert.
-- The table name fendersec_alerts is replaced by sinks.alerts[].table when that is set.
CREATE TABLE IF NOT EXISTS fendersec_alerts (
    alert_id     text        PRIMARY KEY,          -- uuid v5 of rule, app, group and episode start
    rule_id      text        NOT NULL,
    kind         text        NOT NULL,             -- detection or the correlation type
    title        text        NOT NULL,
    severity     text        NOT NULL,             -- informational, low, medium, high, critical
    app          text,
    "group"      jsonb       NOT NULL,             -- group-by field -> value, e.g. {"source.ip": "203.0.113.9"}
    window_start timestamptz NOT NULL,
    window_end   timestamptz NOT NULL,
    first_seen   timestamptz NOT NULL,
    last_seen    timestamptz NOT NULL,
    count        bigint      NOT NULL,
    evidence     text[]      NOT NULL,             -- log uuids, at most 50
    device       text,                             -- only when all evidence comes from one device
    tags         text[]      NOT NULL,
    "references" text[]      NOT NULL,
    evidence_logs jsonb,                           -- [{time, device, level, text, uuid}] with evidence: logs, else NULL
    inserted_at  timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
-- Columns added since the first release: tables created by it are migrated in place.
ALTER TABLE fendersec_alerts ADD COLUMN IF NOT EXISTS evidence_logs jsonb;
-- Dashboard queries: alerts over time (optionally per rule or severity), top devices, latest alerts.
CREATE INDEX IF NOT EXISTS fendersec_alerts_first_seen_idx ON fendersec_alerts (first_seen DESC);
CREATE INDEX IF NOT EXISTS fendersec_alerts_rule_idx ON fendersec_alerts (rule_id, first_seen DESC);
CREATE INDEX IF NOT EXISTS fendersec_alerts_severity_idx ON fendersec_alerts (severity, first_seen DESC);
CREATE INDEX IF NOT EXISTS fendersec_alerts_device_idx ON fendersec_alerts (device, first_seen DESC) WHERE device IS NOT NULL;
CREATE INDEX IF NOT EXISTS fendersec_alerts_app_idx ON fendersec_alerts (app, first_seen DESC);
-- ATT&CK of the rule (from its tags), added after the first release: ADD COLUMN IF NOT EXISTS migrates an
-- existing table in place (old rows get empty arrays). text[] as tags: `'T1110' = ANY(attack_techniques)`,
-- `attack_techniques && ARRAY['T1110', 'T1110.001']` (GIN index), unnest() to count per tactic or technique.
ALTER TABLE fendersec_alerts ADD COLUMN IF NOT EXISTS attack_tactics text[] NOT NULL DEFAULT '{}';      -- e.g. {initial-access}
ALTER TABLE fendersec_alerts ADD COLUMN IF NOT EXISTS attack_techniques text[] NOT NULL DEFAULT '{}';   -- e.g. {T1078,T1078.004}
CREATE INDEX IF NOT EXISTS fendersec_alerts_attack_techniques_idx ON fendersec_alerts USING gin (attack_techniques);
