package io.fendersec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.fendersec.job.JobRun;

class ProgressLineTest {

    @Test
    void aTerminalLineShowsPercentRateAlertsAndEta() {
        String line = ProgressLine.format(new JobRun.Progress(250_000, 12, 1_000_000, Duration.ofSeconds(9)), 50_000);
        assertThat(line).isEqualTo("   25% 250,000/1,000,000 logs, 50,000 logs/s, 12 alerts, ETA 0:15, 0:09");
    }

    @Test
    void withoutATotalItShowsCountsOnly() {
        String line = ProgressLine.format(new JobRun.Progress(1_234, 0, -1, Duration.ofSeconds(3_700)), 0);
        assertThat(line).isEqualTo("  1,234 logs, 0 logs/s, 0 alerts, 1:01:40");
    }

    @Test
    void onATerminalTheLineIsRewrittenInPlaceWithTheRateOfTheLastSeconds() {
        StringWriter w = new StringWriter();
        ProgressLine p = new ProgressLine(new PrintWriter(w), true);
        p.show(new JobRun.Progress(0, 0, 100_000, Duration.ofSeconds(1)));
        p.show(new JobRun.Progress(10_000, 1, 100_000, Duration.ofSeconds(2)));
        p.show(new JobRun.Progress(30_000, 2, 100_000, Duration.ofSeconds(3)));
        p.done();
        String out = w.toString();
        assertThat(out.split("\r", -1)).hasSize(4); // three updates, each starting at the line's beginning
        assertThat(out).contains(" 30% 30,000/100,000 logs, 15,000 logs/s, 2 alerts, ETA 0:05, 0:03").endsWith("\n");
    }

    @Test
    void offATerminalNothingIsPrintedWhileTheJobRuns() {
        StringWriter w = new StringWriter();
        ProgressLine p = new ProgressLine(new PrintWriter(w), false);
        p.show(new JobRun.Progress(5, 0, 10, Duration.ofSeconds(1)));
        p.done();
        assertThat(w.toString()).isEmpty();
    }
}
