package io.fendersec.detect.correlate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import io.fendersec.model.AlertSerializer;
import io.fendersec.model.EvidenceLog;
import io.fendersec.model.ImmutableSerializer;

/**
 * Keyed state of the correlation operator: pending hits, window events, episodes, and the
 * window's history start. {@link KeyState} is mutable, so copies go through a serialization round
 * trip.
 *
 * <p>Format 2 starts with the int {@link #FORMAT_2} (negative, so it cannot be format 1's first
 * int, a list size) and ends with the history start; format 1 (no marker, no history start) is
 * still read: its history starts at its first window event. Format 3 ({@link #FORMAT_3}) is format
 * 2 whose episodes end with their evidence logs; it is written only when some episode carries
 * logs (a sink asked for {@code evidence: logs}), so other jobs keep format 2's bytes.
 */
public final class KeyStateSerializer extends MutableStateSerializer<KeyState> {
    private static final long serialVersionUID = 1L;

    public static final KeyStateSerializer INSTANCE = new KeyStateSerializer();

    static final int FORMAT_2 = -2;
    static final int FORMAT_3 = -3;

    @Override
    public KeyState createInstance() {
        return new KeyState();
    }

    @Override
    public void serialize(KeyState s, DataOutputView out) throws IOException {
        boolean logs = s.episodes.stream().anyMatch(e -> !e.logs().isEmpty());
        out.writeInt(logs ? FORMAT_3 : FORMAT_2);
        writeHits(s.pending, out);
        writeHits(s.window.events(), out);
        out.writeInt(s.episodes.size());
        for (Episode e : s.episodes) {
            out.writeLong(e.start());
            out.writeLong(e.lastMatch());
            out.writeLong(e.windowStart());
            out.writeLong(e.windowEnd());
            out.writeLong(e.firstSeen());
            out.writeLong(e.lastSeen());
            out.writeLong(e.count());
            out.writeInt(e.evidence().size());
            for (String u : e.evidence()) {
                ImmutableSerializer.writeString(u, out);
            }
            ImmutableSerializer.writeString(e.device(), out);
            out.writeBoolean(e.mixedDevices());
            if (logs) {
                AlertSerializer.writeLogs(e.logs(), out);
            }
        }
        out.writeLong(s.window.historyStart());
    }

    @Override
    public KeyState deserialize(DataInputView in) throws IOException {
        int first = in.readInt();
        boolean format3 = first == FORMAT_3;
        boolean format2 = first == FORMAT_2 || format3;
        List<Hit> pending = readHits(in, format2 ? in.readInt() : first);
        List<Hit> window = readHits(in);
        int n = in.readInt();
        List<Episode> eps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long start = in.readLong();
            long lastMatch = in.readLong();
            long ws = in.readLong();
            long we = in.readLong();
            long fs = in.readLong();
            long ls = in.readLong();
            long count = in.readLong();
            int m = in.readInt();
            List<String> ev = new ArrayList<>(m);
            for (int j = 0; j < m; j++) {
                ev.add(ImmutableSerializer.readString(in));
            }
            String device = ImmutableSerializer.readString(in);
            boolean mixed = in.readBoolean();
            List<EvidenceLog> logs = format3 ? AlertSerializer.readLogs(in) : List.of();
            eps.add(new Episode(start, lastMatch, ws, we, fs, ls, count, ev, device, mixed, logs));
        }
        SlidingWindow w = format2 ? new SlidingWindow(window, in.readLong()) : new SlidingWindow(window);
        return new KeyState(pending, w, eps);
    }

    private static void writeHits(List<Hit> hits, DataOutputView out) throws IOException {
        out.writeInt(hits.size());
        for (Hit h : hits) {
            HitSerializer.INSTANCE.serialize(h, out);
        }
    }

    private static List<Hit> readHits(DataInputView in) throws IOException {
        return readHits(in, in.readInt());
    }

    private static List<Hit> readHits(DataInputView in, int n) throws IOException {
        List<Hit> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(HitSerializer.INSTANCE.deserialize(in));
        }
        return l;
    }

    @Override
    public TypeSerializerSnapshot<KeyState> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<KeyState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
