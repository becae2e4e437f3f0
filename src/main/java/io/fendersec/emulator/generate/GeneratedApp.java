package io.fendersec.emulator.generate;

/** An app of the generated data set. */
public final class GeneratedApp {
    private final String id;
    private final String name;
    private final String platform;

    public GeneratedApp(String id, String name, String platform) {
        this.id = id;
        this.name = name;
        this.platform = platform;
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public String platform() {
        return platform;
    }
}
