-- rule: new-device-model-login
-- title: Login from a device model never seen before for this user
-- severity: low
-- tags: attack.t1078, masvs.auth
--
-- A successful login by a user who has logged in before, but never from this device model
-- (device.type): a stolen session or credentials used on the attacker's own phone. Low
-- severity on its own (people buy new phones); useful next to brute-force and credential
-- stuffing alerts for the same user.
--
-- OVER, not a window: "never before" is the user's whole history, which no bucket holds.
-- Both counts run in event-time order, so late logs are placed where they belong
-- (within the job's watermark delay). State: one counter per (app, user, model) and per (app, user).
SELECT
  app,
  user_name                                AS group_user__name,
  model                                    AS group_device__type,
  udid                                     AS device,
  ts                                       AS first_seen,
  uuid                                     AS evidence
FROM (
  SELECT *,
    COUNT(*) OVER (PARTITION BY app, user_name ORDER BY ts
                   ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS user_logins
  FROM (
    SELECT app, uuid, ts, `device.udid` AS udid, fields['user.name'] AS user_name,
      COALESCE(`device.type`, 'unknown') AS model,
      COUNT(*) OVER (PARTITION BY app, fields['user.name'], COALESCE(`device.type`, 'unknown') ORDER BY ts
                     ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS model_logins
    FROM logs
    WHERE fields['event.action'] = 'login' AND fields['event.outcome'] = 'success'
      AND fields['user.name'] IS NOT NULL
  )
)
WHERE model_logins = 1 AND user_logins > 1
