package io.fendersec.detect.correlate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** impossible_travel (Fendersec extension): haversine, speed, the region fallback, hostile values. */
class ImpossibleTravelTest {
    static final GeoPoint MADRID = new GeoPoint(40.4168, -3.7038);
    static final GeoPoint NEW_YORK = new GeoPoint(40.7128, -74.0060);
    static final GeoPoint PARIS = new GeoPoint(48.8566, 2.3522);
    static final CorrelationSpec SPEC = new CorrelationSpec(CorrelationType.IMPOSSIBLE_TRAVEL, 2 * 3_600_000L,
            CountCondition.of(CountCondition.Op.GT, 1000), List.of("login"), null, new Travel("geo.location", 500));
    static final CountCondition KMH_1000 = CountCondition.of(CountCondition.Op.GT, 1000);
    static final Travel TRAVEL = new Travel("geo.location", 500);

    static Hit signIn(long minute, String region, String location, String uuid) {
        return new Hit("travel", "login", "app", Map.of("user.name", "ana"), minute * 60_000, Travel.value(region,
                location), "d-" + uuid, List.of(uuid));
    }

    @Test
    void haversineDistances() {
        assertThat(MADRID.kilometresTo(NEW_YORK)).isCloseTo(5_765, within(15.0));
        assertThat(MADRID.kilometresTo(PARIS)).isCloseTo(1_053, within(5.0));
        assertThat(MADRID.kilometresTo(MADRID)).isZero();
        // antipodes: rounding must not push asin past 1 (NaN)
        assertThat(new GeoPoint(0, 0).kilometresTo(new GeoPoint(0, 180))).isCloseTo(Math.PI * 6371.0088, within(0.01));
        assertThat(new GeoPoint(90, 0).kilometresTo(new GeoPoint(-90, 0))).isCloseTo(Math.PI * 6371.0088, within(0.01));
    }

    @Test
    void onlyPlainDecimalCoordinatesInRangeAreAPoint() {
        assertThat(GeoPoint.parse(" 40.4168 , -3.7038 ")).isEqualTo(MADRID);
        for (String hostile : new String[] {null, "", "40.4", "NaN,1", "1,Infinity", "1e3,2", "0x1p3,1", "91,0",
            "0,181", "-90.5,0", "1,2,3", "a,b", ",", "1,", "1".repeat(100) + ",1"}) {
            assertThat(GeoPoint.parse(hostile)).as(hostile).isNull();
        }
    }

    @Test
    void aPairIsJudgedBySpeedWhenBothHaveALocation() {
        // Madrid → New York in 30 minutes: ~11,500 km/h
        long kmh = TRAVEL.judge(signIn(0, "emea", "40.4168,-3.7038", "a"), signIn(30, "emea", "40.7128,-74.0060", "b"),
                KMH_1000);
        assertThat(kmh).isBetween(11_450L, 11_600L);
        // Madrid → Paris in 3 hours by plane: 351 km/h
        assertThat(TRAVEL.judge(signIn(0, "emea", "40.4168,-3.7038", "a"), signIn(180, "emea", "48.8566,2.3522", "b"),
                KMH_1000)).isEqualTo(-1);
    }

    @Test
    void aLocationThatLooksPossibleDoesNotHideRegionsThatDiffer() {
        // The attacker writes source.ip: both sign-ins claim Madrid, but the device timezones sit in two
        // regions 30 minutes apart. The regions still make the pair impossible.
        assertThat(TRAVEL.judge(signIn(0, "emea", "40.4168,-3.7038", "a"), signIn(30, "americas", "40.4168,-3.7038",
                "b"), KMH_1000)).isEqualTo(Travel.REGIONS);
        // a located pair under min-distance in one region stays possible
        assertThat(TRAVEL.judge(signIn(0, "emea", "40.4168,-3.7038", "a"), signIn(30, "emea", "40.4168,-3.7038", "b"),
                KMH_1000)).isEqualTo(-1);
    }

    @Test
    void equalTimesAndZeroDistanceNeitherDivideByZeroNorAlert() {
        assertThat(TRAVEL.judge(signIn(0, "emea", "40.4168,-3.7038", "a"), signIn(0, "emea", "40.4168,-3.7038", "b"),
                KMH_1000)).isEqualTo(-1);
        // the same millisecond, 1,053 km apart: a second counts as the least time, so ~3.8 million km/h
        long kmh = TRAVEL.judge(signIn(0, "emea", "40.4168,-3.7038", "a"), signIn(0, "emea", "48.8566,2.3522", "b"),
                KMH_1000);
        assertThat(kmh).isBetween(3_780_000L, 3_800_000L);
        // under min-distance: GeoIP noise, whatever the speed (Madrid → Toledo, 67 km in a minute: 4,000 km/h)
        assertThat(TRAVEL.judge(signIn(0, "emea", "40.4168,-3.7038", "a"), signIn(1, "emea", "39.8628,-4.0273", "b"),
                KMH_1000)).isEqualTo(-1);
        assertThat(new Travel("geo.location", 50).judge(signIn(0, "emea", "40.4168,-3.7038", "a"),
                signIn(1, "emea", "39.8628,-4.0273", "b"), KMH_1000)).isBetween(3_900L, 4_200L);
    }

    @Test
    void withoutBothLocationsThePairIsJudgedByRegion() {
        assertThat(TRAVEL.judge(signIn(0, "emea", null, "a"), signIn(60, "apac", null, "b"), KMH_1000))
                .isEqualTo(Travel.REGIONS);
        assertThat(TRAVEL.judge(signIn(0, "emea", "40.4168,-3.7038", "a"), signIn(60, "apac", null, "b"), KMH_1000))
                .isEqualTo(Travel.REGIONS);
        assertThat(TRAVEL.judge(signIn(0, "emea", null, "a"), signIn(60, "emea", null, "b"), KMH_1000)).isEqualTo(-1);
        assertThat(TRAVEL.judge(signIn(0, null, "40.4168,-3.7038", "a"), signIn(60, "apac", null, "b"), KMH_1000))
                .isEqualTo(-1);
        // a hostile location is no location: the regions judge
        assertThat(TRAVEL.judge(signIn(0, "emea", "NaN,NaN", "a"), signIn(20, "apac", "95,400", "b"), KMH_1000))
                .isEqualTo(Travel.REGIONS);
        // a value of the value_count form (a region alone, as restored from an older savepoint)
        Hit old = new Hit("travel", "login", "app", Map.of("user.name", "ana"), 0, "emea", "d", List.of("o"));
        assertThat(TRAVEL.judge(old, signIn(30, "apac", "35.6762,139.6503", "b"), KMH_1000)).isEqualTo(Travel.REGIONS);
        assertThat(Travel.value(null, null)).isNull();
        assertThat(Travel.value(null, "NaN,1")).isNull();
    }

    @Test
    void theWindowAlertsOnTheImpossiblePairWithItAsEvidenceInEitherOrder() {
        Hit home = signIn(0, "emea", "40.4168,-3.7038", "home");
        Hit paris = signIn(40, "emea", "48.8566,2.3522", "paris"); // 1,053 km in 40 min: 1,580 km/h
        Hit ny = signIn(100, "emea", "40.7128,-74.0060", "ny");
        SlidingWindow inOrder = new SlidingWindow();
        assertThat(inOrder.add(home, SPEC, 50)).isEmpty();
        List<WindowMatch> m1 = inOrder.add(paris, SPEC, 50);
        assertThat(m1).hasSize(1);
        assertThat(m1.get(0).evidence()).containsExactly("home", "paris");
        assertThat(m1.get(0).count()).isBetween(1_500L, 1_600L);
        List<WindowMatch> m2 = inOrder.add(ny, SPEC, 50);
        assertThat(m2).hasSize(1);
        assertThat(m2.get(0).evidence()).hasSize(2).contains("ny");
        assertThat(m2.get(0).mixedDevices()).isTrue();

        SlidingWindow shuffled = new SlidingWindow();
        shuffled.add(ny, SPEC, 50);
        shuffled.add(paris, SPEC, 50);
        List<WindowMatch> late = shuffled.add(home, SPEC, 50);
        assertThat(late).extracting(WindowMatch::end).contains(paris.time());
    }

    @Test
    void aLocatedValueSurvivesTheStateSerializer() throws Exception {
        KeyState s = new KeyState();
        s.window().add(signIn(0, "emea", "40.4168,-3.7038", "a"), SPEC, 50);
        DataOutputSerializer out = new DataOutputSerializer(256);
        KeyStateSerializer.INSTANCE.serialize(s, out);
        KeyState back = KeyStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back.window().add(signIn(30, "emea", "40.7128,-74.0060", "b"), SPEC, 50)).hasSize(1);
    }
}
