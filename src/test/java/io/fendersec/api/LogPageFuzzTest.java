package io.fendersec.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the page parser: any body answers with a page or an
 * {@link IOException} (the client's "unreadable answer", retried, then a network error, exit 4),
 * nothing else. {@code src/test/resources/io/fendersec/api/LogPageFuzzTestInputs/} holds the seeds.
 */
class LogPageFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void parsesOrRefusesAsUnreadable(byte[] body) {
        try {
            LogPage page = LogJson.page("http://127.0.0.1/api/app/a/logs/paginated", new ByteArrayInputStream(body));
            page.records().forEach(r -> r.toString());
        } catch (IOException unreadable) {
            // the documented answer to a malformed body
        }
    }
}
