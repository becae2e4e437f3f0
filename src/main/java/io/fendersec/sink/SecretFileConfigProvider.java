package io.fendersec.sink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.provider.ConfigProvider;

/**
 * Kafka config provider for Fendersec's {@code ${file:PATH}}: the value is the file's content,
 * trailing newline removed, as everywhere else in a job spec. (Kafka's own FileConfigProvider reads
 * a key out of a properties file, {@code ${file:PATH:KEY}}, a different meaning.) Registered as
 * {@code file} by {@link KafkaAlertSink#producerProperties}; runs inside the producer on the
 * TaskManager. Errors name the file, never its content.
 */
public final class SecretFileConfigProvider implements ConfigProvider {
    @Override
    public void configure(Map<String, ?> configs) {}

    @Override
    public ConfigData get(String path) {
        return new ConfigData(Map.of());
    }

    /** Kafka splits {@code ${file:A:B}} into path A and key B; without a colon the key is the whole path. */
    @Override
    public ConfigData get(String path, Set<String> keys) {
        Map<String, String> out = new HashMap<>();
        for (String key : keys) {
            String file = path == null || path.isEmpty() ? key : path + ":" + key;
            try {
                String s = Files.readString(Path.of(file), StandardCharsets.UTF_8);
                int end = s.length();
                while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
                    end--;
                }
                out.put(key, s.substring(0, end));
            } catch (IOException e) {
                throw new ConfigException("cannot read secret file " + file + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        return new ConfigData(out);
    }

    @Override
    public void close() {}
}
