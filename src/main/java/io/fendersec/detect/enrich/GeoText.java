package io.fendersec.detect.enrich;

import java.util.Locale;

/** The text form of {@code geo.location}: {@code "lat,lon"} in decimal degrees, as ECS writes a geo point. */
final class GeoText {
    private GeoText() {}

    static String location(double lat, double lon) {
        if (!Double.isFinite(lat) || !Double.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
            return null;
        }
        return String.format(Locale.ROOT, "%.4f,%.4f", lat, lon);
    }
}
