package io.fendersec.model;

/**
 * Field names of a Bugfender log record, exactly as the API returns them. Dotted names are literal
 * keys, not paths. Shared by the client and the emulator: constants only, no behaviour.
 */
public final class LogFields {
    public static final String UUID = "uuid";
    public static final String APP = "app";
    public static final String DEVICE_UDID = "device.udid";
    public static final String DEVICE_NAME = "device.name";
    public static final String DEVICE_TYPE = "device.type";
    public static final String VERSION = "version.version";
    public static final String BUILD = "version.build";
    public static final String LANGUAGE = "language";
    public static final String OS_VERSION = "os_version";
    public static final String TIMEZONE = "timezone";
    public static final String TEXT = "text";
    public static final String METHOD = "method";
    public static final String FILE = "file";
    public static final String LINE = "line";
    public static final String LOG_LEVEL = "log_level";
    public static final String TAG = "tag";
    public static final String TIME = "time";
    public static final String ABSOLUTE_TIME = "absolute_time";
    public static final String THREAD_ID = "thread_id";
    public static final String THREAD_NAME = "thread_name";
    public static final String URL = "url";
    public static final String TYPE = "type";
    public static final String ISSUE_ID = "issue_id";
    public static final String ISSUE_TITLE = "issue_title";
    public static final String KEY_VALUE_KEY = "key_value_key";
    public static final String KEY_VALUE_VALUE = "key_value_value";
    public static final String GAP_START = "gap_start";
    public static final String GAP_END = "gap_end";

    /** Bugfender's numeric levels. The numbers are not in order of severity. */
    public static final int LEVEL_DEBUG = 0;
    public static final int LEVEL_WARNING = 1;
    public static final int LEVEL_ERROR = 2;
    public static final int LEVEL_TRACE = 3;
    public static final int LEVEL_INFO = 4;
    public static final int LEVEL_FATAL = 5;

    private LogFields() {}
}
