package io.fendersec.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing (Jazzer) of the parsers of what the server sends: the same bytes as a
 * page of the paginated endpoint and as a line of the NDJSON download. Each answers with records
 * or an {@link IOException} (the client's "unreadable answer": retried, then a network error,
 * exit 4), nothing else. One target for both keeps the fuzzing to one JVM; the seeds in
 * {@code src/test/resources/io/fendersec/api/ApiAnswerFuzzTestInputs/} are a page and a line.
 */
class ApiAnswerFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void readsOrRefusesAsUnreadable(byte[] body) {
        try {
            LogPage page = LogJson.page("http://127.0.0.1/api/app/a/logs/paginated", new ByteArrayInputStream(body));
            page.records().forEach(r -> r.toString());
        } catch (IOException unreadable) {
            // the documented answer to a malformed page
        }
        try {
            LogJson.recordLine(new String(body, StandardCharsets.UTF_8)).toString();
        } catch (IOException unreadable) {
            // the documented answer to a malformed line
        }
    }
}
