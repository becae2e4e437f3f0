package io.fendersec.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the NDJSON line parser of the download endpoint: a record or an
 * {@link IOException} (an unreadable answer), nothing else.
 */
class NdjsonLineFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void parsesOrRefusesAsUnreadable(byte[] line) {
        try {
            LogJson.recordLine(new String(line, StandardCharsets.UTF_8)).toString();
        } catch (IOException unreadable) {
            // the documented answer to a malformed line
        }
    }
}
