package dev.airworthy.checklist;

import dev.airworthy.check.CheckDescriptor;
import dev.airworthy.check.CheckRegistry;
import dev.airworthy.check.Durations;
import dev.airworthy.check.ManualCheck;
import dev.airworthy.check.ParamSpec;
import dev.airworthy.check.ParamValues;
import dev.airworthy.check.Params;
import dev.airworthy.check.Severity;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads {@code airworthy.yml} into a {@link Checklist}. It validates everything it can (keys,
 * types, check ids, parameters, dates, {@code ${VAR}} references) and reports every problem at
 * once, each with its file, line and column, instead of stopping at the first.
 */
public final class ChecklistLoader {
    public static final int VERSION = 1;

    private static final Pattern VAR = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern ITEM_ID = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}\\p{M}._-]*");
    private static final Pattern TARGET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final List<String> ROOT_KEYS =
            List.of("airworthy", "project", "targets", "gate", "sections", "attestations", "waivers");
    private static final List<String> TARGET_KEYS = List.of("url", "repo");
    private static final List<String> GATE_KEYS = List.of("fail-on");
    private static final List<String> SECTION_KEYS = List.of("title", "items");
    private static final List<String> ITEM_KEYS =
            List.of("id", "title", "severity", "check", "with", "manual", "timeout", "description", "source");
    private static final List<String> ATTESTATION_KEYS =
            List.of("item", "role", "by", "at", "valid-for", "expires", "evidence", "note");
    private static final List<String> WAIVER_KEYS = List.of("item", "reason", "until", "by");

    private final CheckRegistry registry;
    private final Map<String, String> env;

    /** @param env where {@code ${VAR}} values come from; pass {@code System.getenv()} in production */
    public ChecklistLoader(CheckRegistry registry, Map<String, String> env) {
        this.registry = registry;
        this.env = Map.copyOf(env);
    }

    public Checklist load(Path file) throws ChecklistException {
        String name = file.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw single(name, "no such checklist file (create one, or use --preset web|repo)");
        } catch (IOException e) {
            throw single(name, "cannot read the checklist: " + e.getMessage());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw single(name, "the checklist is not UTF-8 text");
        }
        Path base = file.toAbsolutePath().normalize().getParent();
        return load(name, text, base);
    }

    /** Loads checklist text; {@code source} names it in errors, {@code baseDir} resolves relative paths. */
    public Checklist load(String source, String text, Path baseDir) throws ChecklistException {
        return new Reading(source, baseDir).read(text);
    }

    private static ChecklistException single(String file, String message) {
        return new ChecklistException(List.of(new Problem(new Position(file, 1, 1), message)));
    }

    /** The state of one load: the problems found so far and the values taken from the environment. */
    private final class Reading {
        private final String source;
        private final Path baseDir;
        private final List<Problem> problems = new ArrayList<>();
        private final Map<String, String> secrets = new LinkedHashMap<>();
        /** Collections being converted, to stop at a recursive alias instead of overflowing the stack. */
        private final Set<Node> visiting = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        /** Every item id declared, valid or not, so an invalid item does not cascade into "unknown item". */
        private final Set<String> declared = new java.util.HashSet<>();

        Reading(String source, Path baseDir) {
            this.source = source;
            this.baseDir = baseDir;
        }

        Checklist read(String text) throws ChecklistException {
            Optional<Node> root;
            try {
                LoadSettings settings = LoadSettings.builder().setLabel(source).setAllowDuplicateKeys(true)
                        .setCodePointLimit(16 * 1024 * 1024).build();
                root = new Compose(settings).composeString(text);
            } catch (MarkedYamlEngineException e) {
                Position at = e.getProblemMark().or(e::getContextMark).map(this::at).orElse(new Position(source, 1, 1));
                String what = e.getProblem() == null ? "invalid YAML" : e.getProblem();
                throw new ChecklistException(List.of(new Problem(at, "invalid YAML: " + what)));
            } catch (YamlEngineException e) {
                throw single(source, "invalid YAML: " + e.getMessage());
            }
            if (root.isEmpty()) {
                throw single(source, "the checklist is empty; it needs at least 'airworthy: 1' and 'sections:'");
            }
            Map<String, NodeTuple> top = mapping(root.get(), "the checklist", ROOT_KEYS);
            if (top == null) {
                throw new ChecklistException(problems);
            }
            version(top.get("airworthy"), root.get());
            String project = top.containsKey("project") ? string(top.get("project").getValueNode()) : null;
            Map<String, Target> targets = targets(top.get("targets"));
            Set<Severity> failOn = gate(top.get("gate"));
            List<Section> sections = sections(top.get("sections"), root.get());
            Map<String, Item> items = new LinkedHashMap<>();
            sections.forEach(s -> s.items().forEach(i -> items.putIfAbsent(i.id(), i)));
            List<Attestation> attestations = attestations(top.get("attestations"), items);
            List<Waiver> waivers = waivers(top.get("waivers"), items);
            if (!problems.isEmpty()) {
                throw new ChecklistException(problems);
            }
            return new Checklist(source, baseDir, project == null ? "" : project, targets, failOn, sections,
                    attestations, waivers, Map.copyOf(secrets));
        }

        // ---- top-level parts

        private void version(NodeTuple t, Node root) {
            if (t == null) {
                problem(root, "missing 'airworthy: " + VERSION + "' (the checklist format version)");
                return;
            }
            Object v = plain(t.getValueNode());
            if (!(v instanceof Long n) || n != VERSION) {
                problem(t.getValueNode(), "unsupported checklist version '" + v + "'; this airworthy reads version " + VERSION);
            }
        }

        private Map<String, Target> targets(NodeTuple t) {
            Map<String, Target> out = new LinkedHashMap<>();
            if (t == null) {
                return out;
            }
            Map<String, NodeTuple> byName = mapping(t.getValueNode(), "'targets'", null);
            if (byName == null) {
                return out;
            }
            byName.forEach((name, tuple) -> {
                if (!TARGET_NAME.matcher(name).matches()) {
                    problem(tuple.getKeyNode(), "target name '" + name + "' must be letters, digits, '.', '_' or '-'");
                }
                Map<String, NodeTuple> fields = mapping(tuple.getValueNode(), "target '" + name + "'", TARGET_KEYS);
                if (fields == null) {
                    return;
                }
                URI url = null;
                if (fields.containsKey("url")) {
                    url = url(fields.get("url").getValueNode());
                }
                String repo = fields.containsKey("repo") ? string(fields.get("repo").getValueNode()) : null;
                out.put(name, new Target(name, url, repo));
            });
            return out;
        }

        private URI url(Node node) {
            String s = string(node);
            if (s == null) {
                return null;
            }
            try {
                URI u = new URI(s);
                if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                        || u.getHost() == null) {
                    problem(node, "expected an http:// or https:// URL with a host, got '" + s + "'");
                    return null;
                }
                return u;
            } catch (URISyntaxException e) {
                problem(node, "invalid URL '" + s + "': " + e.getReason());
                return null;
            }
        }

        private Set<Severity> gate(NodeTuple t) {
            Set<Severity> failOn = EnumSet.of(Severity.CRITICAL, Severity.HIGH);
            if (t == null) {
                return failOn;
            }
            Map<String, NodeTuple> fields = mapping(t.getValueNode(), "'gate'", GATE_KEYS);
            if (fields == null || !fields.containsKey("fail-on")) {
                return failOn;
            }
            Node list = fields.get("fail-on").getValueNode();
            List<Node> values = list instanceof SequenceNode seq ? seq.getValue() : List.of(list);
            failOn = EnumSet.noneOf(Severity.class);
            for (Node v : values) {
                String s = string(v);
                Severity sev = s == null ? null : Severity.parse(s);
                if (s != null && sev == null) {
                    problem(v, "unknown severity '" + s + "' (critical, high, medium, low, info)");
                } else if (sev != null) {
                    failOn.add(sev);
                }
            }
            return failOn;
        }

        private List<Section> sections(NodeTuple t, Node root) {
            List<Section> out = new ArrayList<>();
            if (t == null) {
                problem(root, "missing 'sections:' (a list of sections, each with a title and items)");
                return out;
            }
            Map<String, Node> seenIds = new HashMap<>();
            for (Node sn : sequence(t.getValueNode(), "'sections'")) {
                Map<String, NodeTuple> fields = mapping(sn, "a section", SECTION_KEYS);
                if (fields == null) {
                    continue;
                }
                String title = requiredString(fields, "title", sn, "section");
                List<Item> items = new ArrayList<>();
                if (fields.containsKey("items")) {
                    for (Node in : sequence(fields.get("items").getValueNode(), "'items'")) {
                        Item item = item(in, title == null ? "" : title, seenIds);
                        if (item != null) {
                            items.add(item);
                        }
                    }
                }
                out.add(new Section(title == null ? "" : title, List.copyOf(items)));
            }
            return out;
        }

        private Item item(Node node, String section, Map<String, Node> seenIds) {
            Map<String, NodeTuple> f = mapping(node, "an item", ITEM_KEYS);
            if (f == null) {
                return null;
            }
            String id = requiredString(f, "id", node, "item");
            if (id != null) {
                Node idNode = f.get("id").getValueNode();
                if (!ITEM_ID.matcher(id).matches()) {
                    problem(idNode, "item id '" + id + "' must start with a letter or digit and hold only letters, digits, '.', '_' or '-'");
                } else if (seenIds.containsKey(id)) {
                    problem(idNode, "duplicate item id '" + id + "' (first at line " + line(seenIds.get(id)) + ")");
                } else {
                    seenIds.put(id, idNode);
                    declared.add(id);
                }
            }
            String label = "item '" + (id == null ? "?" : id) + "'";
            NodeTuple check = f.get("check");
            NodeTuple manual = f.get("manual");
            CheckDescriptor descriptor = null;
            Params params = null;
            if (check != null && manual != null) {
                problem(manual.getKeyNode(), label + " has both 'check' and 'manual'; it is one or the other");
            } else if (check == null && manual == null) {
                problem(node, label + " needs either 'check: <catalog id>' or 'manual: { roles: [...] }'");
            } else if (manual != null) {
                if (f.containsKey("with")) {
                    problem(f.get("with").getKeyNode(), label + ": 'with' belongs to 'check' items; a manual item takes 'manual: { roles, valid-for }'");
                }
                descriptor = registry.find(ManualCheck.ID).orElseThrow();
                params = params(descriptor, manual, label);
            } else {
                String checkId = string(check.getValueNode());
                if (checkId != null) {
                    descriptor = registry.find(checkId).orElse(null);
                    if (descriptor == null) {
                        problem(check.getValueNode(), "unknown check '" + checkId + "'"
                                + Suggestions.didYouMean(checkId, registry.ids()) + "; `airworthy checks` lists them");
                    } else {
                        params = params(descriptor, f.get("with"), label);
                    }
                }
            }
            Severity severity = descriptor == null ? Severity.HIGH : descriptor.severity();
            if (f.containsKey("severity")) {
                Node sn = f.get("severity").getValueNode();
                String s = string(sn);
                Severity parsed = s == null ? null : Severity.parse(s);
                if (s != null && parsed == null) {
                    problem(sn, "unknown severity '" + s + "' (critical, high, medium, low, info)");
                } else if (parsed != null) {
                    severity = parsed;
                }
            }
            Duration timeout = null;
            if (f.containsKey("timeout")) {
                timeout = duration(f.get("timeout").getValueNode());
                if (timeout != null && timeout.isZero()) {
                    problem(f.get("timeout").getValueNode(), "timeout must be more than zero");
                }
            }
            String title = f.containsKey("title") ? string(f.get("title").getValueNode()) : null;
            if (title == null) {
                title = descriptor == null ? (id == null ? "" : id) : descriptor.title();
            }
            String description = f.containsKey("description") ? string(f.get("description").getValueNode()) : null;
            if (f.containsKey("source")) {
                string(f.get("source").getValueNode());
            }
            if (id == null || descriptor == null || params == null) {
                return null;
            }
            return new Item(id, title, section, severity, descriptor.id(), params, timeout, description, at(node));
        }

        /** Validates {@code with:} (or {@code manual:}) against the check's declared parameters. */
        private Params params(CheckDescriptor d, NodeTuple with, String label) {
            Map<String, Object> values = new LinkedHashMap<>(d.defaults());
            Node anchor = with == null ? null : with.getKeyNode();
            boolean ok = true;
            if (with != null) {
                List<String> names = d.params().stream().map(ParamSpec::name).toList();
                String key = ((ScalarNode) with.getKeyNode()).getValue();
                Map<String, NodeTuple> given = isNull(with.getValueNode()) ? Map.of()
                        : mapping(with.getValueNode(), "'" + key + "'", null);
                if (given == null) {
                    return null;
                }
                for (var e : given.entrySet()) {
                    Optional<ParamSpec> spec = d.param(e.getKey());
                    if (spec.isEmpty()) {
                        problem(e.getValue().getKeyNode(), "unknown parameter '" + e.getKey() + "' for " + d.id()
                                + Suggestions.didYouMean(e.getKey(), names)
                                + (names.isEmpty() ? "; it takes none" : "; it takes: " + String.join(", ", names)));
                        ok = false;
                        continue;
                    }
                    Node valueNode = e.getValue().getValueNode();
                    int before = problems.size();
                    Object raw = plain(valueNode);
                    if (problems.size() > before) {
                        ok = false; // a missing ${VAR}: its own error says it all
                        continue;
                    }
                    if (raw == null && isNull(valueNode)) {
                        values.remove(e.getKey());
                        continue;
                    }
                    try {
                        values.put(e.getKey(), ParamValues.convert(spec.get().type(), raw));
                    } catch (IllegalArgumentException ex) {
                        problem(valueNode, "parameter '" + e.getKey() + "' of " + d.id() + ": " + ex.getMessage());
                        ok = false;
                    }
                }
            }
            for (ParamSpec p : d.params()) {
                if (p.required() && values.get(p.name()) == null) {
                    Position where = anchor == null ? null : at(anchor);
                    problems.add(new Problem(where == null ? new Position(source, 1, 1) : where,
                            label + ": " + d.id() + " needs parameter '" + p.name() + "' (" + p.description() + ")"));
                    ok = false;
                }
            }
            if (!ok) {
                return null;
            }
            Params params = new Params(values);
            for (String message : d.check().validate(params)) {
                problems.add(new Problem(anchor == null ? new Position(source, 1, 1) : at(anchor), label + ": " + message));
                ok = false;
            }
            return ok ? params : null;
        }

        private List<Attestation> attestations(NodeTuple t, Map<String, Item> items) {
            List<Attestation> out = new ArrayList<>();
            if (t == null) {
                return out;
            }
            for (Node n : sequence(t.getValueNode(), "'attestations'")) {
                Map<String, NodeTuple> f = mapping(n, "an attestation", ATTESTATION_KEYS);
                if (f == null) {
                    continue;
                }
                String itemId = requiredString(f, "item", n, "attestation");
                String role = requiredString(f, "role", n, "attestation");
                String by = requiredString(f, "by", n, "attestation");
                Instant at = f.containsKey("at") ? instant(f.get("at").getValueNode()) : null;
                if (!f.containsKey("at")) {
                    problem(n, "attestation needs 'at' (the date it was signed, e.g. 2026-11-02)");
                }
                Duration validFor = f.containsKey("valid-for") ? duration(f.get("valid-for").getValueNode()) : null;
                Instant expires = f.containsKey("expires") ? endOf(f.get("expires").getValueNode()) : null;
                String evidence = f.containsKey("evidence") ? string(f.get("evidence").getValueNode()) : null;
                String note = f.containsKey("note") ? string(f.get("note").getValueNode()) : null;
                if (itemId != null && (items.containsKey(itemId) || !declared.contains(itemId))) {
                    Item item = items.get(itemId);
                    Node itemNode = f.get("item").getValueNode();
                    if (item == null) {
                        problem(itemNode, "attestation for unknown item '" + itemId + "'" + Suggestions.didYouMean(itemId, items.keySet()));
                    } else if (!item.isManual()) {
                        problem(itemNode, "item '" + itemId + "' is verified by " + item.check()
                                + ", not signed off; to go live despite it, add a waiver");
                    } else if (role != null && !item.manual().orElseThrow().roles().contains(role)) {
                        problem(f.get("role").getValueNode(), "role '" + role + "' is not one item '" + itemId
                                + "' asks for: " + String.join(", ", item.manual().orElseThrow().roles()));
                    }
                }
                out.add(new Attestation(itemId, role, by, at, validFor, expires, evidence, note, at(n)));
            }
            return out;
        }

        private List<Waiver> waivers(NodeTuple t, Map<String, Item> items) {
            List<Waiver> out = new ArrayList<>();
            if (t == null) {
                return out;
            }
            for (Node n : sequence(t.getValueNode(), "'waivers'")) {
                Map<String, NodeTuple> f = mapping(n, "a waiver", WAIVER_KEYS);
                if (f == null) {
                    continue;
                }
                String itemId = requiredString(f, "item", n, "waiver");
                String reason = requiredString(f, "reason", n, "waiver");
                String by = requiredString(f, "by", n, "waiver");
                LocalDate until = null;
                if (!f.containsKey("until")) {
                    problem(n, "waiver needs 'until' (the last day it holds, e.g. 2026-12-31)");
                } else {
                    until = date(f.get("until").getValueNode());
                }
                if (reason != null && reason.isBlank()) {
                    problem(f.get("reason").getValueNode(), "a waiver needs a reason");
                }
                if (itemId != null && !declared.contains(itemId)) {
                    problem(f.get("item").getValueNode(), "waiver for unknown item '" + itemId + "'" + Suggestions.didYouMean(itemId, items.keySet()));
                }
                out.add(new Waiver(itemId, reason, until, by, at(n)));
            }
            return out;
        }

        // ---- typed scalars

        private String requiredString(Map<String, NodeTuple> f, String key, Node owner, String what) {
            NodeTuple t = f.get(key);
            if (t == null) {
                problem(owner, what + " needs '" + key + "'");
                return null;
            }
            String s = string(t.getValueNode());
            if (s != null && s.isBlank()) {
                problem(t.getValueNode(), what + " '" + key + "' is empty");
                return null;
            }
            return s;
        }

        private String string(Node node) {
            if (!(node instanceof ScalarNode)) {
                problem(node, "expected text, got a " + shape(node));
                return null;
            }
            Object v = plain(node);
            return v == null ? null : v.toString();
        }

        private Duration duration(Node node) {
            String s = string(node);
            if (s == null) {
                return null;
            }
            try {
                return Durations.parse(s);
            } catch (IllegalArgumentException e) {
                problem(node, e.getMessage());
                return null;
            }
        }

        private LocalDate date(Node node) {
            String s = string(node);
            if (s == null) {
                return null;
            }
            try {
                return LocalDate.parse(s);
            } catch (DateTimeParseException e) {
                problem(node, "expected a date such as 2026-12-31, got '" + s + "'");
                return null;
            }
        }

        /** A date (the start of that UTC day) or an ISO-8601 date-time with an offset. */
        private Instant instant(Node node) {
            String s = string(node);
            if (s == null) {
                return null;
            }
            try {
                return s.length() <= 10 ? LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant()
                        : OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e) {
                problem(node, "expected a date (2026-11-02) or date-time (2026-11-02T14:00:00Z), got '" + s + "'");
                return null;
            }
        }

        /** Like {@link #instant}, but a plain date means the end of that UTC day: it holds through the date. */
        private Instant endOf(Node node) {
            String s = string(node);
            Instant i = instant(node);
            return i != null && s.length() <= 10 ? i.plus(Duration.ofDays(1)) : i;
        }

        // ---- node shapes

        /**
         * The entries of a mapping node by key, reporting duplicate keys, non-text keys and (when
         * {@code allowed} is given) unknown keys. Null when the node is not a mapping.
         */
        private Map<String, NodeTuple> mapping(Node node, String what, List<String> allowed) {
            if (!(node instanceof MappingNode m)) {
                problem(node, what + " should be a mapping (key: value), got a " + shape(node));
                return null;
            }
            Map<String, NodeTuple> out = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    problem(t.getKeyNode(), "keys must be text");
                    continue;
                }
                String key = k.getValue();
                if (out.containsKey(key)) {
                    problem(k, "duplicate key '" + key + "' (first at line " + line(out.get(key).getKeyNode()) + ")");
                    continue;
                }
                if (allowed != null && !allowed.contains(key)) {
                    problem(k, "unknown key '" + key + "' in " + what + Suggestions.didYouMean(key, allowed)
                            + "; allowed: " + String.join(", ", allowed));
                    continue;
                }
                out.put(key, t);
            }
            return out;
        }

        private List<Node> sequence(Node node, String what) {
            if (node instanceof SequenceNode s) {
                return s.getValue();
            }
            if (isNull(node)) {
                return List.of();
            }
            problem(node, what + " should be a list (- item), got a " + shape(node));
            return List.of();
        }

        /** A node as plain Java values, with {@code ${VAR}} replaced in every string. */
        private Object plain(Node node) {
            if (!(node instanceof ScalarNode) && !visiting.add(node)) {
                problem(node, "an alias refers to a collection that contains it; parameters cannot be recursive");
                return null;
            }
            try {
                return plainOnce(node);
            } finally {
                visiting.remove(node);
            }
        }

        private Object plainOnce(Node node) {
            if (node instanceof ScalarNode s) {
                Tag tag = s.getTag();
                String v = s.getValue();
                if (Tag.NULL.equals(tag)) {
                    return null;
                }
                if (Tag.BOOL.equals(tag)) {
                    return Boolean.valueOf(v);
                }
                // YAML also resolves 0x1F, 0o17, .inf and .nan as numbers; those stay text, and the
                // parameter's own conversion then says what it expected.
                if (Tag.INT.equals(tag) && v.matches("[-+]?[0-9]{1,4000}")) {
                    BigInteger big = new BigInteger(v);
                    return big.bitLength() < 64 ? (Object) big.longValue() : big;
                }
                if (Tag.FLOAT.equals(tag) && !v.contains("inf") && !v.contains("nan") && !v.contains("Inf")
                        && !v.contains("NaN") && !v.contains("INF") && !v.contains("NAN")) {
                    return Double.valueOf(v);
                }
                return interpolate(s);
            }
            if (node instanceof SequenceNode s) {
                List<Object> out = new ArrayList<>();
                s.getValue().forEach(n -> out.add(plain(n)));
                return out;
            }
            if (node instanceof MappingNode) {
                Map<String, NodeTuple> m = mapping(node, "a mapping", null);
                Map<String, Object> out = new LinkedHashMap<>();
                if (m != null) {
                    m.forEach((k, t) -> out.put(k, plain(t.getValueNode())));
                }
                return out;
            }
            return null;
        }

        private String interpolate(ScalarNode s) {
            String v = s.getValue();
            if (v.indexOf('$') < 0) {
                return v;
            }
            Matcher m = VAR.matcher(v);
            StringBuilder sb = new StringBuilder();
            Set<String> missing = new LinkedHashSet<>();
            while (m.find()) {
                if (m.group(1) == null) {
                    m.appendReplacement(sb, "\\$");
                    continue;
                }
                String name = m.group(1);
                String value = env.get(name);
                if (value == null) {
                    if (missing.add(name)) {
                        problems.add(new Problem(columnOf(s, m.start()), "environment variable " + name
                                + " is not set (${" + name + "} is never replaced by an empty string)"));
                    }
                    m.appendReplacement(sb, "");
                } else {
                    secrets.put(name, value);
                    m.appendReplacement(sb, Matcher.quoteReplacement(value));
                }
            }
            m.appendTail(sb);
            // With a variable missing the value is unknown: null, so nothing judges a half-built string.
            return missing.isEmpty() ? sb.toString() : null;
        }

        /** Where offset {@code i} of a scalar's value sits in the file, exact for one-line scalars. */
        private Position columnOf(ScalarNode s, int i) {
            Position start = at(s);
            String v = s.getValue();
            if (v.substring(0, i).indexOf('\n') >= 0) {
                return start;
            }
            int quote = s.getScalarStyle() == ScalarStyle.PLAIN ? 0 : 1;
            boolean literal = s.getScalarStyle() == ScalarStyle.LITERAL || s.getScalarStyle() == ScalarStyle.FOLDED;
            return literal ? start : new Position(source, start.line(), start.column() + quote + i);
        }

        private boolean isNull(Node node) {
            return node instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
        }

        private String shape(Node node) {
            if (node instanceof MappingNode) {
                return "mapping";
            }
            if (node instanceof SequenceNode) {
                return "list";
            }
            if (isNull(node)) {
                return "null";
            }
            return "scalar";
        }

        private void problem(Node node, String message) {
            problems.add(new Problem(at(node), message));
        }

        private Position at(Node node) {
            return node.getStartMark().map(this::at).orElse(new Position(source, 1, 1));
        }

        private Position at(Mark mark) {
            return new Position(source, mark.getLine() + 1, mark.getColumn() + 1);
        }

        private int line(Node node) {
            return at(node).line();
        }
    }
}
