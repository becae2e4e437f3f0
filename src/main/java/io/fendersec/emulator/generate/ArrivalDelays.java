package io.fendersec.emulator.generate;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * How long logs take from device to server. Most sessions upload as they go (each log after an
 * exponentially distributed delay); a fraction were offline and upload the whole session at
 * once, hours later — the case a reader that trusts device time gets wrong.
 */
public final class ArrivalDelays {
    private final Duration promptMean;
    private final double offlineFraction;
    private final Duration offlineMin;
    private final Duration offlineMax;

    public ArrivalDelays(Duration promptMean, double offlineFraction, Duration offlineMin, Duration offlineMax) {
        if (offlineFraction < 0 || offlineFraction > 1 || offlineMax.compareTo(offlineMin) < 0) {
            throw new IllegalArgumentException("bad arrival delay distribution");
        }
        this.promptMean = promptMean;
        this.offlineFraction = offlineFraction;
        this.offlineMin = offlineMin;
        this.offlineMax = offlineMax;
    }

    /** 3 s mean for online sessions; 5 % of sessions uploaded 1 to 8 hours after they end. */
    public static ArrivalDelays defaults() {
        return new ArrivalDelays(Duration.ofSeconds(3), 0.05, Duration.ofHours(1), Duration.ofHours(8));
    }

    boolean sessionOffline(SplittableRandom r) {
        return r.nextDouble() < offlineFraction;
    }

    /** Delay after the session's last log at which an offline session's logs all arrive. */
    long offlineDelayMillis(SplittableRandom r) {
        long min = offlineMin.toMillis();
        long max = offlineMax.toMillis();
        return max == min ? min : min + r.nextLong(max - min);
    }

    /** Delay of one log of an online session. */
    long promptDelayMillis(SplittableRandom r) {
        return (long) (-Math.log(1 - r.nextDouble()) * promptMean.toMillis());
    }
}
