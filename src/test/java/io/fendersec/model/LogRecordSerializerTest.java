package io.fendersec.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class LogRecordSerializerTest {

    static LogRecord sample() {
        return LogRecord.builder()
                .put(LogFields.UUID, "0b6c7d2e-1")
                .put(LogFields.APP, 123)
                .put(LogFields.DEVICE_UDID, "dev-1")
                .put(LogFields.TEXT, "x".repeat(70_000)) // longer than writeUTF allows
                .put(LogFields.LOG_LEVEL, 2)
                .put(LogFields.TIME, "2026-11-27T10:15:30.123Z")
                .put(LogFields.ABSOLUTE_TIME, 1764238530123000L)
                .put("ratio", 0.5)
                .put("flag", true)
                .put("nothing", null)
                .put("nested", new RawJson("{\"a\":[1,2]}"))
                .build();
    }

    @Test
    void roundTripsEveryValueTypeInOrder() throws Exception {
        LogRecord r = sample();
        DataOutputSerializer out = new DataOutputSerializer(128);
        LogRecordSerializer.INSTANCE.serialize(r, out);
        LogRecord back = LogRecordSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back).isEqualTo(r);
        assertThat(back.fields().keySet()).containsExactlyElementsOf(r.fields().keySet());
        assertThat(back.get(LogFields.APP)).isEqualTo(123L);
        assertThat(back.app()).isEqualTo("123");
        assertThat(back.time()).isEqualTo(Instant.parse("2026-11-27T10:15:30.123Z"));
        assertThat(back.logLevel()).isEqualTo(2);
        assertThat(back.absoluteTime()).isEqualTo(1764238530123000L);
    }

    @Test
    void typeExtractionUsesTheCustomSerializerNotKryo() {
        TypeInformation<LogRecord> info = TypeInformation.of(LogRecord.class);
        assertThat(info).isSameAs(LogRecordTypeInfo.INSTANCE);
        assertThat(info.createSerializer(new ExecutionConfig().getSerializerConfig()))
                .isSameAs(LogRecordSerializer.INSTANCE);
    }

    @Test
    void toStringDoesNotPrintTheText() {
        assertThat(LogRecord.builder().put(LogFields.TEXT, "password=hunter2").build().toString())
                .doesNotContain("hunter2");
    }
}
