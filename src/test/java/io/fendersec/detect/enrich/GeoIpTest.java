package io.fendersec.detect.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GeoIP through MaxMind's reader, over a database written by {@link MmdbTestWriter}. */
class GeoIpTest {
    @TempDir
    Path dir;

    static Path cityDatabase(Path dir) throws Exception {
        Path db = dir.resolve("test-city.mmdb");
        new MmdbTestWriter("GeoLite2-City")
                .put("81.2.69.0/24", MmdbTestWriter.city("GB", "London", 51.5142, -0.0931))
                .put("89.160.20.0/24", MmdbTestWriter.city("SE", "Linköping", 58.4167, 15.6167))
                .put("216.160.83.0/24", MmdbTestWriter.city("US", "Milton", 47.2513, -122.3149))
                .write(db);
        return db;
    }

    @Test
    void countryCityAndLocationOfAnAddress() throws Exception {
        GeoIp geo = GeoIp.of(cityDatabase(dir), "enrich.geoip");
        assertThat(geo.lookup("81.2.69.160")).containsExactly("GB", "London", "51.5142,-0.0931");
        assertThat(geo.lookup("89.160.20.1")).containsExactly("SE", "Linköping", "58.4167,15.6167");
        assertThat(geo.lookup(" 216.160.83.56 ")).containsExactly("US", "Milton", "47.2513,-122.3149");
        assertThat(geo.lookup("10.0.0.1")).isNull();
    }

    @Test
    void hostileAddressesHaveNoGeoAndResolveNoName() throws Exception {
        GeoIp geo = GeoIp.of(cityDatabase(dir), "enrich.geoip");
        assertThat(geo.lookup(null)).isNull();
        assertThat(geo.lookup("")).isNull();
        assertThat(geo.lookup("localhost")).isNull();
        assertThat(geo.lookup("attacker.example")).isNull();
        assertThat(geo.lookup("81.2.69.999")).isNull();
        assertThat(geo.lookup("2001:db8::1")).isNull(); // IPv6 against an IPv4 database: no answer, no crash
        assertThat(geo.lookup("\u202e81.2.69.160")).isNull();
    }

    /**
     * A database whose metadata claims more search-tree nodes than the file holds opened without
     * complaint and then gave no geo.* field for any address. Refused when the job is built (and
     * by validate, which builds the same spec).
     * Mutation caught: no node-count check in GeoIp.of (the damaged file is accepted).
     */
    @Test
    void aDatabaseClaimingMoreNodesThanItHoldsIsRefused() throws Exception {
        Path db = dir.resolve("damaged.mmdb");
        new MmdbTestWriter("GeoLite2-City").claimExtraNodes(1_000_000)
                .put("81.2.69.0/24", MmdbTestWriter.city("GB", "London", 51.5142, -0.0931)).write(db);
        assertThatThrownBy(() -> GeoIp.of(db, "enrich.geoip")).isInstanceOf(io.fendersec.error.ConfigException.class)
                .hasMessageStartingWith("enrich.geoip: " + db + " is damaged: its metadata claims")
                .hasMessageContaining("download the database again");
        GeoIp.of(cityDatabase(dir), "enrich.geoip"); // an intact one still opens
    }

    @Test
    void aWrongFileIsAConfigurationErrorNamingTheKey() throws Exception {
        assertThatThrownBy(() -> GeoIp.of(dir.resolve("missing.mmdb"), "enrich.geoip"))
                .hasMessageStartingWith("enrich.geoip: no file ");
        Path junk = Files.writeString(dir.resolve("junk.mmdb"), "not a database");
        assertThatThrownBy(() -> GeoIp.of(junk, "enrich.geoip"))
                .hasMessageStartingWith("enrich.geoip: " + junk + " is not a MaxMind database");
        Path asn = dir.resolve("asn.mmdb");
        new MmdbTestWriter("GeoLite2-ASN").put("81.2.69.0/24", java.util.Map.of("autonomous_system_organization", "x"))
                .write(asn);
        assertThatThrownBy(() -> GeoIp.of(asn, "enrich.geoip"))
                .hasMessageContaining("is a 'GeoLite2-ASN' database; GeoIP needs a City or Country database");
    }

    @Test
    void onlyThePathTravelsAndTheReaderOpensAgainAfterSerialization() throws Exception {
        GeoIp geo = GeoIp.of(cityDatabase(dir), "enrich.geoip");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream o = new java.io.ObjectOutputStream(bytes)) {
            o.writeObject(geo);
        }
        assertThat(bytes.size()).isLessThan(1024);
        GeoIp back;
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            back = (GeoIp) in.readObject();
        }
        assertThat(back.lookup("81.2.69.160")).containsExactly("GB", "London", "51.5142,-0.0931");
    }
}
