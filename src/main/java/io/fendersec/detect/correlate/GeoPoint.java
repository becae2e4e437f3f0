package io.fendersec.detect.correlate;

/**
 * A point on the Earth in decimal degrees, read from {@code "lat,lon"} text (what
 * {@code geo.location} holds). Anything else, a value out of range, NaN or infinity included, is
 * no point: a forged field cannot make the distance NaN or crash a correlation.
 */
public record GeoPoint(double lat, double lon) {
    /** Mean Earth radius (IUGG), km. */
    static final double EARTH_RADIUS_KM = 6371.0088;

    /** The point, or null when {@code s} is not {@code "lat,lon"} with -90..90 and -180..180. */
    public static GeoPoint parse(String s) {
        if (s == null || s.length() > 64) {
            return null;
        }
        int comma = s.indexOf(',');
        if (comma < 0 || s.indexOf(',', comma + 1) >= 0) {
            return null;
        }
        Double lat = number(s.substring(0, comma));
        Double lon = number(s.substring(comma + 1));
        if (lat == null || lon == null || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
            return null;
        }
        return new GeoPoint(lat, lon);
    }

    private static Double number(String s) {
        String t = s.strip();
        // Plain decimals only: no hex floats, exponents, NaN or Infinity.
        if (!t.matches("[+-]?\\d{1,3}(\\.\\d{1,12})?")) {
            return null;
        }
        return Double.parseDouble(t);
    }

    /** The great-circle distance to {@code o}, km (haversine). */
    public double kilometresTo(GeoPoint o) {
        double dLat = Math.toRadians(o.lat - lat);
        double dLon = Math.toRadians(o.lon - lon);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(Math.toRadians(lat)) * Math.cos(Math.toRadians(o.lat)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        // Rounding can put a a hair above 1 for antipodes: asin of more than 1 is NaN.
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(Math.min(1.0, Math.max(0.0, a))));
    }
}
