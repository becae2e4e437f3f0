package io.fendersec.api;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * What to read of one app: a device-time range {@code [from, to)} ({@code to} null = open, for
 * continuous reads), a page size and the optional server-side filters.
 */
public final class LogQuery implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int MAX_PAGE_SIZE = 10_000;

    private final String appId;
    private final Instant from;
    private final Instant to;
    private final int pageSize;
    private final String text;
    private final String deviceUdid;
    private final Integer level;

    private LogQuery(Builder b) {
        this.appId = b.appId;
        this.from = b.from;
        this.to = b.to;
        this.pageSize = b.pageSize;
        this.text = b.text;
        this.deviceUdid = b.deviceUdid;
        this.level = b.level;
    }

    public static Builder builder(String appId, Instant from) {
        return new Builder(appId, from);
    }

    public String appId() {
        return appId;
    }

    public Instant from() {
        return from;
    }

    /** Exclusive end, or null for an open range. */
    public Instant to() {
        return to;
    }

    public int pageSize() {
        return pageSize;
    }

    public String text() {
        return text;
    }

    public String deviceUdid() {
        return deviceUdid;
    }

    public Integer level() {
        return level;
    }

    public Builder toBuilder() {
        return new Builder(appId, from).to(to).pageSize(pageSize).text(text).deviceUdid(deviceUdid).level(level);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LogQuery)) {
            return false;
        }
        LogQuery q = (LogQuery) o;
        return q.appId.equals(appId) && q.from.equals(from) && Objects.equals(q.to, to) && q.pageSize == pageSize
                && Objects.equals(q.text, text) && Objects.equals(q.deviceUdid, deviceUdid)
                && Objects.equals(q.level, level);
    }

    @Override
    public int hashCode() {
        return Objects.hash(appId, from, to, pageSize, text, deviceUdid, level);
    }

    @Override
    public String toString() {
        return "LogQuery{app=" + appId + ", from=" + from + ", to=" + to + ", pageSize=" + pageSize
                + (text != null ? ", text=" + text : "") + (deviceUdid != null ? ", device=" + deviceUdid : "")
                + (level != null ? ", level=" + level : "") + "}";
    }

    /** Validates eagerly. */
    public static final class Builder {
        private final String appId;
        private final Instant from;
        private Instant to;
        private int pageSize = 1000;
        private String text;
        private String deviceUdid;
        private Integer level;

        private Builder(String appId, Instant from) {
            this.appId = Objects.requireNonNull(appId, "appId");
            this.from = Objects.requireNonNull(from, "from");
        }

        public Builder to(Instant to) {
            this.to = to;
            return this;
        }

        public Builder pageSize(int pageSize) {
            if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
                throw new IllegalArgumentException("page size must be 1.." + MAX_PAGE_SIZE + ", got " + pageSize);
            }
            this.pageSize = pageSize;
            return this;
        }

        public Builder text(String text) {
            this.text = text;
            return this;
        }

        public Builder deviceUdid(String deviceUdid) {
            this.deviceUdid = deviceUdid;
            return this;
        }

        public Builder level(Integer level) {
            this.level = level;
            return this;
        }

        public LogQuery build() {
            if (to != null && !to.isAfter(from)) {
                throw new IllegalArgumentException("range end " + to + " must be after its start " + from);
            }
            return new LogQuery(this);
        }
    }
}
