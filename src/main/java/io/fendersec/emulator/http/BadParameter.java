package io.fendersec.emulator.http;

/** A malformed request parameter: answered 400 with a JSON error naming {@link #parameter()}. */
final class BadParameter extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String parameter;

    BadParameter(String parameter, String description) {
        super(description, null, false, false);
        this.parameter = parameter;
    }

    String parameter() {
        return parameter;
    }
}
