package io.fendersec.model;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Field by field, strings nullable. Alerts live in checkpoints (sink buffers), so the format is
 * versioned in the data: format 1 (the previous release's) starts with the alert id's length; an
 * alert with evidence logs is written in format 2, which starts with the negative int
 * {@link #FORMAT_2} and ends with the logs. An alert without logs is still written in format 1, so
 * jobs without {@code evidence: logs} keep their bytes, and both formats are read.
 */
public final class AlertSerializer extends ImmutableSerializer<Alert> {
    private static final long serialVersionUID = 1L;

    public static final AlertSerializer INSTANCE = new AlertSerializer();

    /** Marks format 2; format 1 starts with the (non-null) alert id's length, never negative. */
    static final int FORMAT_2 = -2;

    @Override
    public Alert createInstance() {
        return Alert.builder().alertId("").ruleId("").title("").build();
    }

    @Override
    public void serialize(Alert a, DataOutputView out) throws IOException {
        boolean logs = !a.evidenceLogs().isEmpty();
        if (logs) {
            out.writeInt(FORMAT_2);
        }
        writeString(a.alertId(), out);
        writeString(a.ruleId(), out);
        writeString(a.kind(), out);
        writeString(a.title(), out);
        writeString(a.severity(), out);
        writeString(a.app(), out);
        out.writeInt(a.group().size());
        for (Map.Entry<String, String> e : a.group().entrySet()) {
            writeString(e.getKey(), out);
            writeString(e.getValue(), out);
        }
        out.writeLong(a.windowStartMillis());
        out.writeLong(a.windowEndMillis());
        out.writeLong(a.firstSeenMillis());
        out.writeLong(a.lastSeenMillis());
        out.writeLong(a.count());
        writeList(a.evidence(), out);
        writeString(a.device(), out);
        writeList(a.tags(), out);
        writeList(a.references(), out);
        if (logs) {
            writeLogs(a.evidenceLogs(), out);
        }
    }

    /** Evidence logs: a count, then each log's uuid, time, device, level and text. */
    public static void writeLogs(List<EvidenceLog> logs, DataOutputView out) throws IOException {
        out.writeInt(logs.size());
        for (EvidenceLog l : logs) {
            writeString(l.uuid(), out);
            out.writeLong(l.timeMillis());
            writeString(l.device(), out);
            writeString(l.level(), out);
            writeString(l.text(), out);
        }
    }

    public static List<EvidenceLog> readLogs(DataInputView in) throws IOException {
        int n = in.readInt();
        List<EvidenceLog> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String uuid = readString(in);
            long time = in.readLong();
            l.add(EvidenceLog.of(uuid, time, readString(in), readString(in), readString(in)));
        }
        return l;
    }

    @Override
    public Alert deserialize(DataInputView in) throws IOException {
        int first = in.readInt();
        boolean format2 = first == FORMAT_2;
        String alertId = format2 ? readString(in) : readString(first, in);
        Alert.Builder b = Alert.builder().alertId(alertId).ruleId(readString(in)).kind(readString(in))
                .title(readString(in)).severity(readString(in)).app(readString(in));
        int n = in.readInt();
        Map<String, String> group = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            group.put(readString(in), readString(in));
        }
        b.group(group);
        long ws = in.readLong();
        long we = in.readLong();
        long fs = in.readLong();
        long ls = in.readLong();
        b.window(ws, we).seen(fs, ls).count(in.readLong()).evidence(readList(in)).device(readString(in))
                .tags(readList(in)).references(readList(in));
        if (format2) {
            b.evidenceLogs(readLogs(in));
        }
        return b.build();
    }

    private static void writeList(List<String> l, DataOutputView out) throws IOException {
        out.writeInt(l.size());
        for (String s : l) {
            writeString(s, out);
        }
    }

    private static List<String> readList(DataInputView in) throws IOException {
        int n = in.readInt();
        List<String> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(readString(in));
        }
        return l;
    }

    @Override
    public TypeSerializerSnapshot<Alert> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Alert> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
