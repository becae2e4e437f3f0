package io.fendersec.emulator;

/** An app served by the emulator: its string id and name. */
public final class EmulatorApp {
    private final String id;
    private final String name;

    public EmulatorApp(String id, String name) {
        this.id = id;
        this.name = name;
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return id + " (" + name + ")";
    }
}
