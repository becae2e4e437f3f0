package io.fendersec.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fendersec.auth.SecretRef;

/**
 * Which Kafka producer properties hold secrets, and whether a value keeps its secret out of the
 * job file. A secret property must be a reference, {@code ${env:NAME}} or {@code ${file:PATH}},
 * resolved by Kafka's config providers inside the producer on the TaskManager
 * ({@link KafkaAlertSink#producerProperties}); a JAAS line ({@code sasl.jaas.config}) may instead
 * write each of its secret options as one.
 */
public final class KafkaSecrets {
    /** Words that make a property name a secret's (whole words of the dotted, dashed or camelCase name). */
    private static final Set<String> SECRET_WORDS = Set.of("password", "passwd", "passphrase", "secret", "jaas",
            "credentials", "credential", "token", "key", "apikey");
    /** Last words of names that hold where or what a secret is, not the secret: ssl.keystore.location, ...token.endpoint.url. */
    private static final Set<String> NOT_A_VALUE = Set.of("url", "urls", "location", "type", "file", "path", "class",
            "classes", "ms", "algorithm", "algorithms", "mechanism", "name", "names", "enable", "enabled", "size");
    private static final Pattern REF = Pattern.compile("\\$\\{(?:env|file):[^}]+}");
    /** One option of a JAAS line: name=value, the value quoted or a bare word. */
    private static final Pattern JAAS_OPTION = Pattern.compile("([A-Za-z0-9_.-]+)\\s*=\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|[^\\s;]+)");

    private KafkaSecrets() {}

    /** True when the property's name says it holds a secret: password, secret, jaas, credentials, user.info, token, key. */
    public static boolean isSecretName(String property) {
        String lower = property.toLowerCase(Locale.ROOT);
        if (lower.contains("user.info") || lower.contains("userinfo")) {
            return true;
        }
        List<String> words = words(property);
        if (words.isEmpty() || NOT_A_VALUE.contains(words.get(words.size() - 1))) {
            return false;
        }
        return words.stream().anyMatch(w -> SECRET_WORDS.contains(w) || w.contains("password") || w.contains("secret")
                || w.contains("jaas") || w.contains("credential"));
    }

    public static boolean isJaas(String property) {
        return property.toLowerCase(Locale.ROOT).contains("jaas");
    }

    /**
     * True when the value of a secret property is a reference: the whole value is one, or, for a
     * JAAS line, every option whose name suggests a secret has one as its whole value.
     */
    public static boolean isReferenced(String property, String value) {
        String v = value.trim();
        if (SecretRef.isReference(v)) {
            return true;
        }
        if (!isJaas(property)) {
            return false;
        }
        Matcher m = JAAS_OPTION.matcher(v);
        while (m.find()) {
            String option = m.group(1).toLowerCase(Locale.ROOT);
            String optionValue = m.group(2);
            if (optionValue.length() >= 2 && optionValue.startsWith("\"") && optionValue.endsWith("\"")) {
                optionValue = optionValue.substring(1, optionValue.length() - 1);
            }
            boolean secretOption = option.contains("password") || option.contains("secret") || option.contains("token")
                    || option.contains("credential") || option.contains("passphrase");
            if (secretOption && !SecretRef.isReference(optionValue)) {
                return false;
            }
        }
        return true;
    }

    /** The value with relative {@code ${file:PATH}} references made absolute against {@code dir} (the job file's folder). */
    public static String withAbsoluteFiles(String value, java.nio.file.Path dir) {
        if (dir == null || !value.contains("${file:")) {
            return value;
        }
        Matcher m = REF.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(SecretRef.parse(m.group(), "reference").relativeTo(dir).toString()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The references a value holds, for {@code validate} to check that they resolve here. */
    public static List<SecretRef> references(String value) {
        List<SecretRef> refs = new ArrayList<>();
        Matcher m = REF.matcher(value);
        while (m.find()) {
            refs.add(SecretRef.parse(m.group(), "reference"));
        }
        return refs;
    }

    /** Lower-case words of a property name: split at '.', '-', '_' and camelCase humps. */
    static List<String> words(String property) {
        List<String> out = new ArrayList<>();
        for (String part : property.split("[._\\-\\s]+")) {
            for (String w : part.split("(?<=[a-z0-9])(?=[A-Z])")) {
                if (!w.isEmpty()) {
                    out.add(w.toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }
}
