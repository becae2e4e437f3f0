package io.fendersec.bench;

/**
 * Profiling driver: runs only the detection job of {@link DetectionBenchmark} (arguments: number
 * of logs, number of runs; a third argument runs the no-rules job instead), e.g. under JFR.
 */
public final class DetectOnly {
    public static void main(String[] args) throws Exception {
        long n = Long.parseLong(args[0]);
        var rules = DetectionBenchmark.generatedRules(100);
        for (int i = 0; i < Integer.parseInt(args[1]); i++) {
            double r = DetectionBenchmark.run(n, 2, args.length > 2 ? null : rules);
            System.out.printf("%.0f logs/s%n", r);
        }
    }
}
