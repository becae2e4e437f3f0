package io.fendersec.emulator;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fendersec.model.LogRecord;

/**
 * What each attack looks like in logs, written here independently of the scenario code and of
 * the rules: the keyword attacks as patterns, the counting attacks as small counters. Used both
 * ways: every scenario's evidence must show its pattern, benign traffic must show none.
 */
final class EvidencePatterns {
    static final Pattern SECRET = Pattern.compile(
            "eyJ[\\w-]{10,}\\.eyJ[\\w-]{10,}\\.[\\w-]{10,}|(?i:bearer)\\s+[A-Za-z0-9._~+/-]{20,}|(?i:password)[\"']?\\s*[=:]\\s*[\"']?[^\\s\"'&]+"
                    + "|AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----");
    static final Pattern DIGITS = Pattern.compile("\\b\\d(?:[ -]?\\d){12,18}\\b");
    static final Pattern ROOT = Pattern.compile(
            "(?i)rooted|magisk|xposed|frida|cydia|jailbr|substrate|debugger attached|su binary|is_jailbroken|integrity\\.root");
    static final Pattern TAMPER = Pattern.compile(
            "(?i)signature (mismatch|verification failed|invalid)|repackaged|tamper|integrity (check|verdict)|checksum mismatch"
                    + "|unrecognized_version|app attest|code signature");
    static final Pattern PINNING = Pattern.compile("(?i)pin(ning)? (validation )?fail|pinning failure|pinned certificates|pin validation");
    static final Pattern LOGIN_FAILURE = Pattern.compile(
            "(?i)(log ?in|sign-?in|authentication|auth\\]).{0,40}(fail|rejected|401)|^login_failure");
    static final Pattern LOGIN_SUCCESS = Pattern.compile(
            "(?i)login succeeded|signed in as|authentication successful|login\\(.*\\) -> 200|^login_success");
    static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");

    private EvidencePatterns() {}

    static String text(LogRecord r) {
        String kv = r.getString("key_value_key") == null ? "" : "\n" + r.getString("key_value_key") + "=" + r.getString("key_value_value");
        return (r.text() == null ? "" : r.text()) + kv;
    }

    static boolean secret(LogRecord r) {
        String t = text(r);
        if (SECRET.matcher(t).find() || "password".equals(r.getString("key_value_key"))) {
            return true;
        }
        Matcher m = DIGITS.matcher(t);
        while (m.find()) {
            if (luhn(m.group().replaceAll("[ -]", ""))) {
                return true;
            }
        }
        return false;
    }

    static boolean luhn(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    static boolean root(LogRecord r) {
        return ROOT.matcher(text(r)).find();
    }

    static boolean tamper(LogRecord r) {
        return TAMPER.matcher(text(r)).find();
    }

    static boolean pinning(LogRecord r) {
        return PINNING.matcher(text(r)).find();
    }

    static boolean loginFailure(LogRecord r) {
        return LOGIN_FAILURE.matcher(text(r)).find();
    }

    static boolean loginSuccess(LogRecord r) {
        return LOGIN_SUCCESS.matcher(text(r)).find();
    }

    static String email(LogRecord r) {
        Matcher m = EMAIL.matcher(text(r));
        return m.find() ? m.group() : null;
    }

    static boolean errorOrFatal(LogRecord r) {
        return r.logLevel() == 2 || r.logLevel() == 5;
    }

    /** The most events of one key within any {@code span} (sliding), over events (key, time). */
    static int maxInWindow(Collection<LogRecord> logs, java.util.function.Function<LogRecord, String> key,
            java.util.function.Function<LogRecord, String> distinct, Duration span) {
        Map<String, List<LogRecord>> byKey = new HashMap<>();
        for (LogRecord r : logs) {
            String k = key.apply(r);
            if (k != null) {
                byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(r);
            }
        }
        int best = 0;
        for (List<LogRecord> l : byKey.values()) {
            l.sort(java.util.Comparator.comparing(LogRecord::time));
            for (int j = 0; j < l.size(); j++) {
                Set<String> seen = new HashSet<>();
                for (int i = j; i >= 0 && !l.get(i).time().isBefore(l.get(j).time().minus(span)); i--) {
                    seen.add(distinct.apply(l.get(i)));
                }
                best = Math.max(best, seen.size());
            }
        }
        return best;
    }

    /** Login failures from one device within 15 minutes (brute force, most). */
    static int failuresPerDevice(Collection<LogRecord> logs) {
        return maxInWindow(logs.stream().filter(EvidencePatterns::loginFailure).toList(), LogRecord::deviceUdid,
                LogRecord::uuid, Duration.ofMinutes(15));
    }

    /** Distinct accounts failing from one device within 15 minutes (credential stuffing). */
    static int usersPerDevice(Collection<LogRecord> logs) {
        return maxInWindow(logs.stream().filter(r -> loginFailure(r) && email(r) != null).toList(), LogRecord::deviceUdid,
                EvidencePatterns::email, Duration.ofMinutes(15));
    }

    /** Distinct devices one account fails from within 30 minutes (account attacked from many devices). */
    static int devicesPerUser(Collection<LogRecord> logs) {
        return maxInWindow(logs.stream().filter(r -> loginFailure(r) && email(r) != null).toList(),
                r -> r.app() + "/" + email(r), LogRecord::deviceUdid, Duration.ofMinutes(30));
    }

    /** Distinct devices failing pinning against one host within 15 minutes (fleet pinning). */
    static int devicesPerPinnedHost(Collection<LogRecord> logs) {
        return maxInWindow(logs.stream().filter(EvidencePatterns::pinning).toList(), EvidencePatterns::host,
                LogRecord::deviceUdid, Duration.ofMinutes(15));
    }

    static String host(LogRecord r) {
        String url = r.getString("url");
        return url == null ? null : url.replaceFirst("^https?://", "").replaceFirst("[/:?].*$", "");
    }

    /** Whether one account signs in from timezones at least 8 hours apart within 2 hours. */
    static boolean impossibleTravel(Collection<LogRecord> logs) {
        List<LogRecord> ins = logs.stream().filter(r -> loginSuccess(r) && email(r) != null)
                .sorted(java.util.Comparator.comparing(LogRecord::time)).toList();
        Map<String, List<LogRecord>> byUser = new HashMap<>();
        // Accounts are per app here (as detection groups are): the apps' user lists are independent.
        ins.forEach(r -> byUser.computeIfAbsent(r.app() + "/" + email(r), x -> new ArrayList<>()).add(r));
        for (List<LogRecord> l : byUser.values()) {
            for (int j = 0; j < l.size(); j++) {
                for (int i = j - 1; i >= 0 && !l.get(i).time().isBefore(l.get(j).time().minus(Duration.ofHours(2))); i--) {
                    if (hoursApart(l.get(i), l.get(j)) >= 8) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    static double hoursApart(LogRecord a, LogRecord b) {
        Instant t = a.time();
        return Math.abs(ZoneId.of(a.getString("timezone")).getRules().getOffset(t).getTotalSeconds()
                - ZoneId.of(b.getString("timezone")).getRules().getOffset(t).getTotalSeconds()) / 3600.0;
    }

    /**
     * The highest ratio, over 30-minute windows (starting every 10 minutes) holding at least 20
     * errors, of an app version's error+fatal share in the window to its share over all its logs.
     */
    static double worstErrorRatio(Collection<LogRecord> logs) {
        Map<String, TreeMap<Instant, LogRecord>> byVersion = new HashMap<>();
        for (LogRecord r : logs) {
            byVersion.computeIfAbsent(r.app() + "/" + r.getString("version.version"), x -> new TreeMap<>())
                    .put(r.time().plusNanos(Math.floorMod(r.uuid().hashCode(), 1000)), r);
        }
        double worst = 0;
        for (TreeMap<Instant, LogRecord> m : byVersion.values()) {
            double base = (double) m.values().stream().filter(EvidencePatterns::errorOrFatal).count() / m.size();
            for (Instant w = m.firstKey(); w.isBefore(m.lastKey()); w = w.plus(Duration.ofMinutes(10))) {
                Collection<LogRecord> win = m.subMap(w, w.plus(Duration.ofMinutes(30))).values();
                long errors = win.stream().filter(EvidencePatterns::errorOrFatal).count();
                if (errors >= 20 && base > 0) {
                    worst = Math.max(worst, (double) errors / win.size() / base);
                }
            }
        }
        return worst;
    }
}
