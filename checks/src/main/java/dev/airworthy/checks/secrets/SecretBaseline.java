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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Findings a team has accepted, keyed by what was found rather than where: the fingerprint is
 * {@code sha256(rule + ":" + secret)} in hex, so moving a line keeps it accepted and a new secret on
 * an accepted line is still reported. File, line and the masked secret are kept for people reading
 * the file; only the fingerprint is compared. The file never holds a secret.
 */
public final class SecretBaseline {
    public static final String SCHEMA = "airworthy.secrets-baseline/v1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One accepted finding. */
    public record Entry(String fingerprint, String rule, String file, int line, String masked) {
    }

    /** The file is not a baseline; the message starts with {@code file:line:col:} where it can. */
    public static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private final Map<String, Entry> entries;

    private SecretBaseline(Map<String, Entry> entries) {
        this.entries = entries;
    }

    /** {@code sha256(rule + ":" + secret)}, hex: the key of a finding in a baseline. */
    public static String fingerprint(String rule, String secret) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest((rule + ":" + secret).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    public boolean contains(String fingerprint) {
        return entries.containsKey(fingerprint);
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
        return new SecretBaseline(entries);
    }

    /** Writes the findings as a baseline, one entry per fingerprint, in file and line order. */
    public static int write(Path file, List<SecretScanner.Finding> findings) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("about", "Accepted findings of secrets.scan, written by `airworthy baseline`. Each is keyed by "
                + "sha256(rule + \":\" + secret); file and line say where it was when recorded. Remove an entry to report it again.");
        ArrayNode list = root.putArray("findings");
        Map<String, SecretScanner.Finding> unique = new LinkedHashMap<>();
        for (SecretScanner.Finding f : findings) {
            unique.putIfAbsent(f.fingerprint(), f);
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
