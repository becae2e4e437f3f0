package io.fendersec.job;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.fendersec.detect.enrich.Enrichment;
import io.fendersec.detect.enrich.GeoIp;
import io.fendersec.detect.enrich.KeyMatch;
import io.fendersec.detect.enrich.Lookup;
import io.fendersec.detect.enrich.LookupFormat;
import io.fendersec.detect.enrich.LookupTable;
import io.fendersec.error.ConfigException;
import io.fendersec.job.spec.SpecNode;

/**
 * The optional {@code enrich} section: lookup tables joined onto logs by a field, and GeoIP.
 * Lookup files are read when the spec is read, once, and travel with the job as compiled tables;
 * a running job does not see later edits (restart it). The GeoIP database is opened where the job
 * runs (see {@link GeoIp}).
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
    static final long MAX_FILE_BYTES = LookupTable.MAX_CHARS;

    private final Enrichment enrichment;

    EnrichSpec(Enrichment enrichment) {
        this.enrichment = enrichment;
    }

    static EnrichSpec none() {
        return new EnrichSpec(Enrichment.none());
    }

    public Enrichment enrichment() {
        return enrichment;
    }

    /** Reads the section; problems go to the node's errors with their key paths. */
    static EnrichSpec read(SpecNode e) {
        if (e == null) {
            return none();
        }
        e.allowOnly("lookups", "geoip");
        List<Lookup> lookups = new ArrayList<>();
        for (SpecNode l : e.sections("lookups")) {
            Lookup lookup = lookup(l);
            if (lookup != null) {
                lookups.add(lookup);
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
            return new EnrichSpec(Enrichment.of(lookups, geoIp));
        } catch (ConfigException x) {
            e.errors().add("", x.getMessage());
            return none();
        }
    }

    private static Lookup lookup(SpecNode l) {
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
        Path file = l.resolve(fileText);
        try {
            String text = readText(file);
            return new Lookup(key, prefix, LookupTable.parse(fileText, text, format, keyColumn, match));
        } catch (ConfigException x) {
            l.errors().add(l.pathOf("file"), x.getMessage());
            return null;
        }
    }

    /** The file's text (UTF-8), refusing a file over the size cap before reading it. */
    static String readText(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new ConfigException(file.getFileName() + " is " + size + " bytes, more than the " + MAX_FILE_BYTES
                        + " a lookup may hold (each task keeps it in memory): keep only the rows rules need");
            }
            byte[] bytes = Files.readAllBytes(file);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException x) {
            throw new ConfigException(file.getFileName() + " is not UTF-8 text");
        } catch (java.nio.file.NoSuchFileException x) {
            throw new ConfigException("no file " + file);
        } catch (IOException x) {
            throw new ConfigException("cannot read " + file + " (" + x.getMessage() + ")");
        }
    }
}
