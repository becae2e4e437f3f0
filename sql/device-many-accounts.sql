-- rule: device-many-accounts
-- title: One device used by many user accounts within a day
-- severity: high
-- tags: attack.t1078, attack.credential_access, masvs.auth
--
-- Account farming, credential stuffing from a handset, or a shared test device left in
-- production: one device signing in as five or more distinct users within 24 hours. The Sigma
-- pack has the opposite view (one account on many devices, account-many-devices).
--
-- HOP, not TUMBLE: a 24 h window sliding by 1 h finds five accounts spread over 23:00-01:00,
-- which two calendar days would split into two harmless halves.
SELECT
  app,
  `device.udid`                            AS group_device__udid,
  `device.udid`                            AS device,
  window_start,
  window_end,
  MIN(ts)                                  AS first_seen,
  MAX(ts)                                  AS last_seen,
  COUNT(DISTINCT fields['user.name'])      AS `count`,
  LISTAGG(uuid)                            AS evidence
FROM TABLE(HOP(TABLE logs, DESCRIPTOR(ts), INTERVAL '1' HOUR, INTERVAL '1' DAY))
WHERE fields['event.action'] = 'login' AND fields['user.name'] IS NOT NULL
GROUP BY app, `device.udid`, window_start, window_end
HAVING COUNT(DISTINCT fields['user.name']) >= 5
