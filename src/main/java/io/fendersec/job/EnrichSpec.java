package io.fendersec.job;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.fendersec.detect.enrich.Enrichment;
import io.fendersec.detect.enrich.GeoIp;
import io.fendersec.detect.enrich.KeyMatch;
import io.fendersec.detect.enrich.Lookup;
import io.fendersec.detect.enrich.LookupFile;
import io.fendersec.detect.enrich.LookupFormat;
import io.fendersec.error.ConfigException;
import io.fendersec.job.spec.SpecNode;

/**
 * The optional {@code enrich} section: lookup tables joined onto logs by a field, and GeoIP.
 * Lookup files are read when the spec is read and travel with the job as compiled tables; a
 * continuous job that watches its rules ({@code rules.reload-interval}) also watches them
 * ({@link #lookupFiles()}) and applies an edit while it runs. The GeoIP database is opened where
 * the job runs (see {@link GeoIp}), once: replace it and restart the job.
 *
 * <pre>
 * enrich:
 *   lookups:
 *     - {file: vip.csv, key: user.name, prefix: vip}                       # vip.tier, vip.owner, ...
 *     - {file: offices.csv, key: source.ip, match: cidr, prefix: internal}  # longest prefix
 *   geoip: GeoLite2-City.mmdb                                              # geo.country, geo.city, geo.location
 * </pre>
 */
public final class EnrichSpec {
    /** Largest lookup file read, in bytes (each task keeps the table in memory). */
    static final long MAX_FILE_BYTES = LookupFile.MAX_BYTES;

    private final Enrichment enrichment;
    /** Where each of the enrichment's lookups comes from, in the same order. */
    private final List<LookupFile> files;

    EnrichSpec(Enrichment enrichment, List<LookupFile> files) {
        this.enrichment = enrichment;
        this.files = List.copyOf(files);
    }

    static EnrichSpec none() {
        return new EnrichSpec(Enrichment.none(), List.of());
    }

    public Enrichment enrichment() {
        return enrichment;
    }

    /** The lookups' files and how they are joined, in {@code enrich.lookups} order: what a continuous job watches. */
    public List<LookupFile> lookupFiles() {
        return files;
    }

    /** Reads the section; problems go to the node's errors with their key paths. */
    static EnrichSpec read(SpecNode e) {
        if (e == null) {
            return none();
        }
        e.allowOnly("lookups", "geoip");
        List<Lookup> lookups = new ArrayList<>();
        List<LookupFile> files = new ArrayList<>();
        for (SpecNode l : e.sections("lookups")) {
            LookupFile file = lookupFile(l);
            Lookup lookup = file == null ? null : lookup(l, file);
            if (lookup != null) {
                lookups.add(lookup);
                files.add(file);
            }
        }
        GeoIp geoIp = null;
        Path db = e.file("geoip", false, "the path of a MaxMind database (.mmdb)");
        if (db != null) {
            try {
                geoIp = GeoIp.of(db, e.pathOf("geoip"));
            } catch (ConfigException x) {
                e.errors().add("", x.getMessage());
            }
        }
        try {
            return new EnrichSpec(Enrichment.of(lookups, geoIp), files);
        } catch (ConfigException x) {
            e.errors().add("", x.getMessage());
            return none();
        }
    }

    /** The entry's file and join, or null (with the problems in the node's errors). */
    private static LookupFile lookupFile(SpecNode l) {
        l.allowOnly("file", "key", "prefix", "key-column", "match", "format");
        String fileText = l.string("file", null, true, "a CSV or JSON-lines file, e.g. vip.csv");
        String key = l.string("key", null, true, "the log field looked up, e.g. user.name or source.ip");
        String prefix = l.string("prefix", null, true, "the prefix of the joined fields, e.g. vip (vip.tier)");
        String keyColumn = l.string("key-column", null);
        String matchText = l.oneOf("match", KeyMatch.EXACT.specName(), "exact", "cidr");
        String formatText = l.oneOf("format", null, "csv", "jsonl");
        if (prefix != null && !prefix.matches("[A-Za-z0-9_][A-Za-z0-9_-]*(\\.[A-Za-z0-9_][A-Za-z0-9_-]*)*")) {
            l.errors().add(l.pathOf("prefix"), "expected letters, digits, _ and - in dot-separated parts, e.g. vip"
                    + " or asset.owner, got '" + prefix + "'");
            return null;
        }
        if (fileText == null || key == null || prefix == null) {
            return null;
        }
        LookupFormat format = formatText != null ? LookupFormat.ofSpec(formatText) : LookupFormat.ofFileName(fileText);
        if (format == null) {
            l.errors().add(l.pathOf("format"), "cannot tell from the name '" + fileText
                    + "'; set format: csv or jsonl (or name the file .csv or .jsonl)");
            return null;
        }
        KeyMatch match = matchText == null ? KeyMatch.EXACT : KeyMatch.ofSpec(matchText);
        return new LookupFile(l.resolve(fileText).toAbsolutePath().normalize().toString(), key, prefix, keyColumn,
                match, format);
    }

    /** The entry's table, read now, or null (with the problem in the node's errors). */
    private static Lookup lookup(SpecNode l, LookupFile file) {
        String fileText = l.string("file", null, true, "a CSV or JSON-lines file, e.g. vip.csv");
        try {
            return file.parse(fileText, file.read());
        } catch (ConfigException x) {
            l.errors().add(l.pathOf("file"), x.getMessage());
            return null;
        }
    }

    /** The file's text (UTF-8), refusing a file over the size cap before reading it. */
    static String readText(Path file) {
        return LookupFile.readText(file);
    }
}
