package io.fendersec.detect.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.fendersec.detect.sigma.Event;
import io.fendersec.emulator.generate.ArrivalDelays;
import io.fendersec.emulator.generate.Dataset;
import io.fendersec.emulator.generate.DatasetGenerator;
import io.fendersec.emulator.generate.GeneratedApp;
import io.fendersec.emulator.generate.GeneratedLog;
import io.fendersec.emulator.generate.Scenarios;
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;

/**
 * Fields extracted on demand are exactly those of running every extractor in order, whatever
 * order they are read in: checked against a plain eager loop over the emulator's logs (every
 * scenario) and over extractors whose {@code when} and {@code from} depend on each other.
 */
class LazyExtractionTest {

    /** The reference: every extractor in order, the first value per field wins, 'when' sees earlier fields. */
    static Map<String, String> eager(Normalizer n, LogRecord record) {
        Map<String, String> out = new LinkedHashMap<>();
        String key = record.getString(LogFields.KEY_VALUE_KEY);
        String kv = key == null ? null : key + "=" + record.getString(LogFields.KEY_VALUE_VALUE);
        Event sofar = new Event() {
            @Override
            public String get(String field) {
                String v = out.get(field);
                return v != null ? v : NormalizedLog.recordValue(record, field);
            }

            @Override
            public boolean has(String field) {
                return out.containsKey(field) || NormalizedLog.recordHas(record, field);
            }

            @Override
            public Iterable<String> values() {
                List<String> vs = NormalizedLog.recordValues(record);
                vs.addAll(out.values());
                return vs;
            }
        };
        FoldedTexts folded = new FoldedTexts();
        for (Extractor x : n.extractors()) {
            if (!out.containsKey(x.field())) {
                String v = x.extract(sofar, kv, folded);
                if (v != null) {
                    out.put(x.field(), v);
                }
            }
        }
        return out;
    }

    static List<LogRecord> emulatorLogs() {
        Dataset d = new DatasetGenerator(7, 2, 2, Instant.parse("2026-11-28T00:00:00Z"), 6_000,
                ArrivalDelays.defaults(), Scenarios.byName("all").orElseThrow()).generate();
        List<LogRecord> logs = new ArrayList<>();
        for (GeneratedApp app : d.apps()) {
            for (GeneratedLog l : d.logs(app.id())) {
                logs.add(l.record());
            }
        }
        return logs;
    }

    @Test
    void defaultsGiveTheEagerFieldsInAnyReadingOrder() {
        Normalizer n = Normalizer.defaults();
        List<String> fields = new ArrayList<>(new java.util.LinkedHashSet<>(n.extractors().stream()
                .map(Extractor::field).toList()));
        Random random = new Random(1);
        int withFields = 0;
        List<LogRecord> logs = emulatorLogs();
        for (LogRecord r : logs) {
            Map<String, String> expected = eager(n, r);
            withFields += expected.isEmpty() ? 0 : 1;
            // all at once, in the order eager extraction found them
            assertThat(n.normalize(r).extracted()).as(r.text()).containsExactlyEntriesOf(expected);
            // one by one, in a random order, on a fresh log
            NormalizedLog lazy = n.normalize(r);
            List<String> order = new ArrayList<>(fields);
            Collections.shuffle(order, random);
            for (String f : order) {
                String want = expected.containsKey(f) ? expected.get(f) : NormalizedLog.recordValue(r, f);
                assertThat(lazy.get(f)).as("%s in %s", f, r.text()).isEqualTo(want);
                assertThat(lazy.has(f)).isEqualTo(want != null || r.has(f));
            }
            assertThat(lazy.extracted()).containsExactlyEntriesOf(expected);
        }
        assertThat(logs).hasSizeGreaterThan(10_000);
        assertThat(withFields).as("the corpus exercises the extractors").isGreaterThan(1_000);
    }

    @Test
    void whenAndFromSeeOnlyTheFieldsOfEarlierExtractors() {
        Normalizer n = Normalizer.builder().defaults(false)
                // 'when' on a field only a later extractor writes: eager extraction never sees it
                .extract(Extractor.builder().field("early").regex("(\\w+)").when(Map.of("stage", "two")).build())
                .extract(Extractor.builder().field("stage").regex("stage (\\w+)").build())
                // 'when' and 'from' on fields written before: they see them
                .extract(Extractor.builder().field("late").regex("(\\w+)").when(Map.of("stage", "two")).build())
                .extract(Extractor.builder().field("suffix").from("stage").regex("(\\w)$").build())
                // a field read by its own second extractor's 'when': the first one's value counts
                .extract(Extractor.builder().field("kind").regex("(alpha)").build())
                .extract(Extractor.builder().field("kind").regex("(stage)").when(Map.of("kind|exists", false)).build())
                .build();
        LogRecord r = LogRecord.builder().put("text", "stage two").build();
        Map<String, String> expected = eager(n, r);
        assertThat(expected).containsExactly(Map.entry("stage", "two"), Map.entry("late", "stage"),
                Map.entry("suffix", "o"), Map.entry("kind", "stage"));
        for (List<String> order : List.of(List.of("early", "late", "suffix", "kind", "stage"),
                List.of("kind", "suffix", "late", "early"), List.of("stage", "early"))) {
            NormalizedLog lazy = n.normalize(r);
            for (String f : order) {
                assertThat(lazy.get(f)).as("%s reading %s", f, order).isEqualTo(expected.get(f));
            }
            assertThat(lazy.extracted()).containsExactlyEntriesOf(expected);
        }
    }

    @Test
    void onlyTheFieldsReadAreExtracted() {
        // A regex that would throw if it ran on this text cannot be observed, so count runs instead:
        // the 'when' of the second extractor reads 'a', which must not extract 'b'.
        Normalizer n = Normalizer.builder().defaults(false)
                .extract(Extractor.builder().field("a").regex("(x+)").build())
                .extract(Extractor.builder().field("b").regex("(y+)").build())
                .build();
        NormalizedLog lazy = n.normalize(LogRecord.builder().put("text", "xx yy").build());
        assertThat(lazy.get("a")).isEqualTo("xx");
        assertThat(lazy).extracting("lazy").extracting("ran").asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.INT_ARRAY).containsExactly(1, 0);
        assertThat(lazy.get("b")).isEqualTo("yy");
    }

    @Test
    void keywordsMayMatchEveryPieceOfEveryValueWithoutExtracting() {
        Normalizer n = Normalizer.defaults();
        Random random = new Random(5);
        int tested = 0;
        for (LogRecord r : emulatorLogs()) {
            NormalizedLog lazy = n.normalize(r);
            List<String> values = new ArrayList<>(eager(n, r).values());
            values.addAll(NormalizedLog.recordValues(r));
            for (String v : values) {
                String lower = v.toLowerCase(Locale.ROOT);
                // the whole value and a random piece of it
                int from = lower.isEmpty() ? 0 : random.nextInt(lower.length());
                for (String piece : List.of(lower, lower.substring(from, Math.min(lower.length(), from + 4)))) {
                    if (!piece.isEmpty()) {
                        assertThat(lazy.keywordMayMatch(piece)).as("%s in %s", piece, r.text()).isTrue();
                        tested++;
                    }
                }
            }
            assertThat(lazy).extracting("lazy").extracting("ran").asInstanceOf(
                    org.assertj.core.api.InstanceOfAssertFactories.INT_ARRAY).containsOnly(0);
        }
        assertThat(tested).isGreaterThan(100_000);
        NormalizedLog plain = n.normalize(text("nothing to see"));
        assertThat(plain.keywordMayMatch("frida")).isFalse();
        assertThat(plain.keywordMayMatch("pinning_failure")).as("an extractor's constant").isTrue();
        // A capital sigma lower-cases by its context: then the exact keyword text is used.
        NormalizedLog sigma = n.normalize(LogRecord.builder().put("text", "ΟΔΟΣ user=ΣΑΣ").build());
        assertThat(sigma.keywordMayMatch("σας")).isEqualTo(sigma.keywordText().contains("σας"));
        assertThat(sigma.keywordMayMatch("ςας")).isEqualTo(sigma.keywordText().contains("ςας"));
    }

    static LogRecord text(String t) {
        return LogRecord.builder().put("uuid", "u").put("text", t).build();
    }
}
