package io.fendersec.cli;

/** {@link RulesCommandTest#run} for tests outside this package. */
public final class RulesCommandTestAccess {
    private RulesCommandTestAccess() {}

    public record Result(int code, String out, String err) {}

    public static Result run(String... args) {
        RulesCommandTest.Result r = RulesCommandTest.run(args);
        return new Result(r.code(), r.out(), r.err());
    }
}
