package io.fendersec.detect.enrich;

import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import com.maxmind.db.Reader;
import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.exception.GeoIp2Exception;
import com.maxmind.geoip2.model.CityResponse;
import com.maxmind.geoip2.model.CountryResponse;
import com.maxmind.geoip2.record.Location;

import io.fendersec.detect.sigma.InetParsing;
import io.fendersec.error.ConfigException;

/**
 * GeoIP from a MaxMind-format database the user supplies (GeoIP2/GeoLite2 City or Country, or any
 * MMDB file of that layout): {@code geo.country} (ISO code), {@code geo.city} (English name) and
 * {@code geo.location} ({@code "lat,lon"}) for the log's {@code source.ip}.
 *
 * <p>Only the path travels with the job: the database (tens of megabytes) is opened, memory-mapped,
 * where the job runs, once per task, so the file must exist at that path on every TaskManager. It
 * is opened once when the job is built too, so a wrong path or file is a configuration error
 * before anything runs. Addresses are parsed as literals only (never a DNS lookup: the value comes
 * from log text an attacker may write).
 */
public final class GeoIp implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String COUNTRY = "geo.country";
    public static final String CITY = "geo.city";
    public static final String LOCATION = "geo.location";
    /** The fields in the order of {@link #lookup}'s answer. */
    public static final List<String> FIELDS = List.of(COUNTRY, CITY, LOCATION);
    /** The log field looked up. */
    public static final String SOURCE_IP = "source.ip";

    private final String path;
    private final boolean city;
    private transient DatabaseReader reader;

    private GeoIp(String path, boolean city) {
        this.path = path;
        this.city = city;
    }

    /**
     * Opens the database once to check it.
     *
     * @param where the key path for errors, {@code enrich.geoip}
     */
    public static GeoIp of(Path path, String where) {
        if (!Files.isRegularFile(path)) {
            throw new ConfigException(where + ": no file " + path + " (a MaxMind database such as GeoLite2-City.mmdb)");
        }
        try (DatabaseReader r = open(path.toFile())) {
            String type = r.metadata().databaseType();
            boolean city = type.toLowerCase(Locale.ROOT).contains("city") || type.contains("Enterprise");
            if (!city && !type.toLowerCase(Locale.ROOT).contains("country")) {
                throw new ConfigException(where + ": " + path + " is a '" + type
                        + "' database; GeoIP needs a City or Country database (GeoIP2 or GeoLite2)");
            }
            // The search tree: nodeCount nodes of two records of recordSize bits, then 16 zero bytes
            // before the data. A file whose metadata claims more (damaged, cut off by a download)
            // opens fine and then answers every lookup with nothing: no geo.* field, no error.
            long treeBytes = r.metadata().nodeCount() * r.metadata().recordSize() / 4;
            long size = Files.size(path);
            if (treeBytes + 16 > size) {
                throw new ConfigException(where + ": " + path + " is damaged: its metadata claims "
                        + r.metadata().nodeCount() + " nodes (" + treeBytes + " bytes of search tree), more than the file's "
                        + size + " bytes; download the database again");
            }
            return new GeoIp(path.toAbsolutePath().toString(), city);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ConfigException c) {
                throw c;
            }
            throw new ConfigException(where + ": " + path + " is not a MaxMind database (" + e.getMessage() + ")", e);
        }
    }

    private static DatabaseReader open(File f) throws IOException {
        return new DatabaseReader.Builder(f).fileMode(Reader.FileMode.MEMORY_MAPPED).locales(List.of("en")).build();
    }

    /** Country ISO code, city name, {@code "lat,lon"} (each may be null) for {@code ip}, or null when unknown. */
    public String[] lookup(String ip) {
        if (ip == null) {
            return null;
        }
        byte[] address = InetParsing.parse(ip.strip());
        if (address == null) {
            return null;
        }
        try {
            InetAddress a = InetAddress.getByAddress(address);
            if (city) {
                CityResponse r = reader().tryCity(a).orElse(null);
                return r == null ? null : new String[] {r.country().isoCode(), r.city().name(), location(r.location())};
            }
            CountryResponse r = reader().tryCountry(a).orElse(null);
            return r == null ? null : new String[] {r.country().isoCode(), null, null};
        } catch (UnknownHostException e) {
            return null; // cannot happen: the bytes are a parsed literal
        } catch (IOException | GeoIp2Exception | IllegalArgumentException e) {
            // A corrupt record, or an IPv6 address and an IPv4-only database: no geo fields, the job goes on.
            return null;
        }
    }

    private static String location(Location l) {
        if (l == null || l.latitude() == null || l.longitude() == null) {
            return null;
        }
        return GeoText.location(l.latitude(), l.longitude());
    }

    private DatabaseReader reader() {
        if (reader == null) {
            try {
                reader = open(new File(path));
            } catch (IOException e) {
                throw new ConfigException("enrich.geoip: cannot open " + path + " where the job runs (" + e.getMessage()
                        + "); the database must exist at that path on every TaskManager", e);
            }
        }
        return reader;
    }

    public String path() {
        return path;
    }

    @Override
    public String toString() {
        return "GeoIp{" + path + "}";
    }
}
