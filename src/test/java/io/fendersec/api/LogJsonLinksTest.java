package io.fendersec.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonParseException;

/** The links-only read of a page gives the full parser's links and count, whatever the logs hold. */
class LogJsonLinksTest {

    private static LogPage full(String json) throws IOException {
        return LogJson.page("u", new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static LogPage links(String json) throws IOException {
        return LogJson.pageLinks("u", new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void countsLogsAndKeepsLinksWhateverTheLogsContain() throws IOException {
        List<String> pages = List.of(
                "{\"data\":[],\"next\":null,\"previous\":\"http://h/t\",\"last\":null,\"query_id\":\"q\"}",
                "{\"next\":\"http://h/n\",\"data\":[{\"text\":\"\\\"data\\\":[{}] ] } {\",\"k\":[1,{\"a\":[]}]},"
                        + "{\"text\":\"\\\\\"}],\"previous\":\"http://h/p\",\"last\":\"http://h/l\",\"query_id\":\"q\"}",
                " { \"query_id\" : \"q\" , \"data\" : [ { } , {\"x\":{\"data\":[1]}} ] , \"previous\" : null , "
                        + "\"last\" : \"http://h/l\" , \"extra\" : {\"data\":[]} } ",
                "{\"data\":[{\"text\":\"ünïcødé \\u00e9 🎉\"}],\"previous\":\"http://h/p\"}");
        for (String json : pages) {
            LogPage f = full(json);
            LogPage l = links(json);
            assertThat(l.size()).as(json).isEqualTo(f.records().size());
            assertThat(l.records()).isEmpty();
            assertThat(l.next()).isEqualTo(f.next());
            assertThat(l.previous()).isEqualTo(f.previous());
            assertThat(l.last()).isEqualTo(f.last());
            assertThat(l.queryId()).isEqualTo(f.queryId());
            byte[] b = json.getBytes(StandardCharsets.UTF_8);
            long span = LogJson.DataSpan.find(b);
            assertThat(span).as("the byte scan, not the fallback, reads %s", json).isNotNegative();
            assertThat(LogJson.DataSpan.countObjects(b, (int) (span >>> 32), (int) span)).isEqualTo(f.records().size());
        }
    }

    @Test
    void anAnswerOfTheWrongShapeIsRefusedAsBefore() {
        for (String json : List.of("{\"data\":[1,2],\"previous\":null}", "{\"data\":{},\"previous\":null}",
                "{\"previous\":null}", "{\"data\":[{}],\"previous\":5}", "{\"data\":[{}]", "not json",
                "{\"data\":[{},],\"previous\":null}", "{\"data\":[{}{}],\"previous\":null}")) {
            assertThatThrownBy(() -> links(json)).as(json).isInstanceOf(JsonParseException.class);
        }
    }
}
