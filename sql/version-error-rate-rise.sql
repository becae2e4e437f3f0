-- rule: version-error-rate-rise
-- title: App version's error rate rising well above its own recent rate
-- severity: medium
-- tags: masvs.resilience, attack.t1499
--
-- A release that starts failing: the share of Error and Fatal logs (log_level 2 and 5) of one
-- app version in the last 30 minutes is at least 25 percentage points above that version's
-- average share over the last 6 hours (Flink's OVER frames end at the current row, so the
-- average includes the current window, which damps it a little). A rate, not a count, so that a
-- version whose traffic simply grows is not flagged (the Sigma rule error-spike counts errors).
-- Needs at least 20 logs in the 30 minutes and an hour of windows for the version.
--
-- HOP windows (30 min sliding by 10 min): a burst from 09:55 to 10:20 lies within one window,
-- where 30-minute buckets would show two half-bursts. The baseline is an OVER aggregate on the
-- windows' event time, so it moves with each window.
SELECT
  app,
  version                                  AS group_version__version,
  window_start,
  window_end,
  errors                                   AS `count`
FROM (
  SELECT *,
    AVG(rate) OVER w                       AS baseline,
    COUNT(*) OVER w                        AS history
  FROM (
    SELECT app, `version.version` AS version, window_start, window_end, window_time,
      COUNT(*)                                                    AS total,
      SUM(CASE WHEN log_level IN (2, 5) THEN 1 ELSE 0 END)        AS errors,
      CAST(SUM(CASE WHEN log_level IN (2, 5) THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) AS rate
    FROM TABLE(HOP(TABLE logs, DESCRIPTOR(ts), INTERVAL '10' MINUTE, INTERVAL '30' MINUTE))
    WHERE `version.version` IS NOT NULL
    GROUP BY app, `version.version`, window_start, window_end, window_time
  )
  WINDOW w AS (PARTITION BY app, version ORDER BY window_time
               RANGE BETWEEN INTERVAL '6' HOUR PRECEDING AND CURRENT ROW)
)
WHERE total >= 20 AND history >= 6 AND rate - baseline >= 0.25
