package io.fendersec.api;

import java.io.Serializable;
import java.util.Objects;

/** An app the account can see. Ids are strings: the API gives numbers or strings. */
public final class App implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String id;
    private final String name;

    public App(String id, String name) {
        this.id = Objects.requireNonNull(id, "id");
        this.name = name == null ? "" : name;
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof App && ((App) o).id.equals(id) && ((App) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, name);
    }

    @Override
    public String toString() {
        return "App{" + id + ", " + name + "}";
    }
}
