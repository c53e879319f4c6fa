package dev.airworthy.checks.secrets;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Findings a team has accepted, keyed by what was found rather than where: the fingerprint is
 * {@code HMAC-SHA256(salt, rule + ":" + secret)} in hex, with a random salt of the baseline's own,
 * stored in it, so that a fingerprint cannot be checked against a dictionary of likely passwords
 * without the file, nor matched across repositories. Moving a line keeps a finding accepted and a
 * new secret on an accepted line is still reported. File, line and the masked secret are kept for
 * people reading the file; only the fingerprint is compared. The file never holds a secret.
 */
public final class SecretBaseline {
    public static final String SCHEMA = "airworthy.secrets-baseline/v2";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int SALT_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One accepted finding. */
    public record Entry(String fingerprint, String rule, String file, int line, String masked) {
    }

    /** The file is not a baseline; the message starts with {@code file:line:col:} where it can. */
    public static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private final byte[] salt;
    private final Map<String, Entry> entries;

    private SecretBaseline(byte[] salt, Map<String, Entry> entries) {
        this.salt = salt;
        this.entries = entries;
    }

    /** {@code HMAC-SHA256(salt, rule + ":" + secret)}, hex: the key of a finding in a baseline with this salt. */
    public static String fingerprint(byte[] salt, String rule, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((rule + ":" + secret).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HMAC-SHA256", e);
        }
    }

    /** This baseline's key for a finding. */
    public String fingerprint(SecretScanner.Finding f) {
        return fingerprint(salt, f.rule().findingRule(), f.secret());
    }

    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    public boolean contains(SecretScanner.Finding f) {
        return entries.containsKey(fingerprint(f));
    }

    /** Reads a baseline written by {@link #write}; {@code label} names the file in messages. */
    public static SecretBaseline read(Path file, String label) throws IOException, Invalid {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? label : label + ":" + at.getLineNr() + ":" + at.getColumnNr();
            throw new Invalid(where + ": not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || !SCHEMA.equals(root.path("schema").asText())) {
            throw new Invalid(label + ": not a secrets baseline (expected \"schema\": \"" + SCHEMA + "\")");
        }
        byte[] salt;
        try {
            salt = HexFormat.of().parseHex(root.path("salt").asText(""));
        } catch (IllegalArgumentException e) {
            salt = new byte[0];
        }
        if (salt.length < 16) {
            throw new Invalid(label + ": \"salt\" must be at least 32 hex digits");
        }
        JsonNode list = root.path("findings");
        if (!list.isArray()) {
            throw new Invalid(label + ": \"findings\" must be a list");
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode n : list) {
            String fp = n.path("fingerprint").asText("");
            if (!fp.matches("[0-9a-f]{64}")) {
                throw new Invalid(label + ": findings[" + i + "]: fingerprint must be 64 lower-case hex digits");
            }
            entries.put(fp, new Entry(fp, n.path("rule").asText(""), n.path("file").asText(""), n.path("line").asInt(0),
                    n.path("masked").asText("")));
            i++;
        }
        return new SecretBaseline(salt, entries);
    }

    /**
     * Writes the findings as a baseline, one entry per fingerprint, in file and line order. The salt of
     * the baseline already at {@code file} is kept (so unchanged entries keep their fingerprints);
     * otherwise a new random one is drawn.
     */
    public static int write(Path file, List<SecretScanner.Finding> findings) throws IOException {
        byte[] salt = null;
        if (Files.isRegularFile(file)) {
            try {
                salt = read(file, file.toString()).salt;
            } catch (Invalid e) {
                salt = null;
            }
        }
        if (salt == null) {
            salt = new byte[SALT_BYTES];
            RANDOM.nextBytes(salt);
        }
        SecretBaseline b = new SecretBaseline(salt, Map.of());
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("about", "Accepted findings of secrets.scan, written by `airworthy baseline`. Each is keyed by "
                + "HMAC-SHA256(salt, rule + \":\" + secret); file and line say where it was when recorded. Remove an entry "
                + "to report it again.");
        root.put("salt", HexFormat.of().formatHex(salt));
        ArrayNode list = root.putArray("findings");
        Map<String, SecretScanner.Finding> unique = new LinkedHashMap<>();
        for (SecretScanner.Finding f : findings) {
            unique.putIfAbsent(b.fingerprint(f), f);
        }
        for (var e : unique.entrySet()) {
            ObjectNode n = list.addObject();
            n.put("fingerprint", e.getKey());
            n.put("rule", e.getValue().rule().findingRule());
            n.put("file", e.getValue().path());
            n.put("line", e.getValue().line());
            n.put("masked", e.getValue().masked());
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, JSON.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
        return unique.size();
    }
}
