package io.fendersec.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

import io.fendersec.api.ClientSettings;
import io.fendersec.auth.AuthSettings;
import io.fendersec.auth.SecretRef;
import io.fendersec.error.ConfigException;

/** The one model of how the source reads: defaults, eager checks naming the job-spec key, one "all apps". */
class SourceSettingsTest {
    @Test
    void defaultsAreABoundedReadOfAllApps() {
        SourceSettings d = SourceSettings.builder().build();
        assertThat(d.mode()).isEqualTo(ReadMode.BOUNDED);
        assertThat(d.allApps()).isTrue();
        assertThat(d.appIds()).isEmpty();
        assertThat(d.slice()).isEqualTo(Duration.ofHours(1));
        assertThat(d.pageSize()).isEqualTo(10_000);
        assertThat(d.pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.discoveryInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(d.maxOutOfOrderness()).isEqualTo(Duration.ofMinutes(10));
        assertThat(d.idleness()).isEqualTo(Duration.ofMinutes(1));
        assertThat(d.maxClockSkew()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void settersRefuseBadValuesAtOnceNamingTheKey() {
        SourceSettings.Builder b = SourceSettings.builder();
        assertThatThrownBy(() -> b.slice(Duration.ZERO)).isInstanceOf(ConfigException.class)
                .hasMessage("source.slice: expected a duration above zero");
        assertThatThrownBy(() -> b.pollInterval(null)).hasMessageStartingWith("source.poll-interval:");
        assertThatThrownBy(() -> b.discoveryInterval(Duration.ofSeconds(-1)))
                .hasMessageStartingWith("source.discovery-interval:");
        assertThatThrownBy(() -> b.idleness(Duration.ZERO)).hasMessageStartingWith("source.idleness:");
        assertThatThrownBy(() -> b.pageSize(10_001))
                .hasMessage("source.page-size: expected a whole number from 1 to 10000, got 10001");
        assertThatThrownBy(() -> b.pageSize(0)).hasMessageStartingWith("source.page-size:");
        assertThatThrownBy(() -> b.maxOutOfOrderness(Duration.ofMillis(-1)))
                .hasMessageStartingWith("source.max-out-of-orderness:");
        assertThatThrownBy(() -> b.maxClockSkew(null)).hasMessageStartingWith("source.max-clock-skew:");
        assertThatThrownBy(() -> b.mode(null)).hasMessageStartingWith("source.mode:");
        assertThatThrownBy(() -> b.apps(java.util.List.of())).hasMessageStartingWith("source.apps:");
        assertThatThrownBy(() -> b.apps("a", " ")).hasMessage("source.apps: app ids must not be empty");
        // Zero is a valid bound for the watermark settings.
        assertThat(b.maxOutOfOrderness(Duration.ZERO).maxClockSkew(Duration.ZERO).build().maxClockSkew())
                .isEqualTo(Duration.ZERO);
    }

    @Test
    void explicitAppsAreTrimmedAndUniqueAndAllAppsIsTheEmptyList() {
        SourceSettings s = SourceSettings.builder().apps("b", " a", "b").build();
        assertThat(s.allApps()).isFalse();
        assertThat(s.appIds()).containsExactly("b", "a");
        SourceSettings all = s.toBuilder().allApps().build();
        assertThat(all.allApps()).isTrue();
        assertThat(all.appIds()).isEmpty();
        assertThat(all).isEqualTo(SourceSettings.builder().build());
    }

    @Test
    void toBuilderKeepsEveryValueAndLeavesTheOriginalAlone() {
        SourceSettings s = SourceSettings.builder().mode(ReadMode.CONTINUOUS).apps("a").slice(Duration.ofMinutes(7))
                .pageSize(123).pollInterval(Duration.ofSeconds(2)).discoveryInterval(Duration.ofSeconds(3))
                .maxOutOfOrderness(Duration.ofSeconds(4)).idleness(Duration.ofSeconds(5))
                .maxClockSkew(Duration.ofSeconds(6)).build();
        assertThat(s.toBuilder().build()).isEqualTo(s).hasSameHashCodeAs(s);
        SourceSettings changed = s.toBuilder().pageSize(9).build();
        assertThat(changed.pageSize()).isEqualTo(9);
        assertThat(s.pageSize()).isEqualTo(123);
    }

    @Test
    void theSourceTakesTheSettingsWholeAndChecksTheRangeAgainstTheMode() throws Exception {
        ClientSettings client = ClientSettings.builder().baseUrl("http://127.0.0.1:1").auth(AuthSettings.builder()
                .method(AuthSettings.Method.CLIENT_SECRET).clientId("c").clientSecret(SecretRef.env("FENDERSEC_CS"))
                .build()).build();
        Instant from = Instant.parse("2026-01-01T00:00:00Z");
        SourceSettings settings = SourceSettings.builder().apps("a").slice(Duration.ofMinutes(30)).build();
        BugfenderSource source = BugfenderSource.builder().clientSettings(client).settings(settings).from(from)
                .to(from.plusSeconds(3600)).build();
        assertThat(source.settings()).isEqualTo(settings);
        assertThat(source.range()).isEqualTo(new ReadRange(from, from.plusSeconds(3600)));

        // What travels in the job graph: settings and range survive Java serialization unchanged.
        BugfenderSource copy = InstantiationUtil.clone(source);
        assertThat(copy.settings()).isEqualTo(settings);
        assertThat(copy.range()).isEqualTo(source.range());
        assertThat(copy.clientSettings().auth().clientSecret()).isEqualTo(SecretRef.env("FENDERSEC_CS"));

        SourceSettings continuous = settings.toBuilder().mode(ReadMode.CONTINUOUS).build();
        assertThatThrownBy(() -> BugfenderSource.builder().clientSettings(client).settings(continuous).from(from)
                .to(from.plusSeconds(1)).build()).hasMessageStartingWith("source.to: a continuous read has no end");
        assertThatThrownBy(() -> BugfenderSource.builder().clientSettings(client).settings(settings).from(from)
                .to(from).build()).hasMessageStartingWith("source.to: expected a time after source.from");
        assertThatThrownBy(() -> BugfenderSource.builder().clientSettings(client).settings(settings).build())
                .hasMessageStartingWith("source.from:");
    }
}
