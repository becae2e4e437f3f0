package io.fendersec.emulator.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The registered clients by id, in registration order. Immutable once built. */
public final class ClientRegistry {
    private final Map<String, ClientAccount> clients;

    public ClientRegistry(List<ClientAccount> accounts) {
        Map<String, ClientAccount> m = new LinkedHashMap<>();
        for (ClientAccount a : accounts) {
            if (m.putIfAbsent(a.id(), a) != null) {
                throw new IllegalArgumentException("client id " + a.id() + " is registered twice");
            }
        }
        this.clients = m;
    }

    public Optional<ClientAccount> find(String id) {
        return Optional.ofNullable(id == null ? null : clients.get(id));
    }

    public List<ClientAccount> all() {
        return new ArrayList<>(clients.values());
    }
}
