package dev.airworthy.checks.bench;

import dev.airworthy.check.CheckRegistry;
import dev.airworthy.check.Finding;
import dev.airworthy.checklist.Checklist;
import dev.airworthy.checklist.ChecklistLoader;
import dev.airworthy.checks.secrets.FakeSecrets;
import dev.airworthy.checks.secrets.SecretRule;
import dev.airworthy.checks.secrets.SecretRules;
import dev.airworthy.run.ItemResult;
import dev.airworthy.run.Progress;
import dev.airworthy.run.RunOptions;
import dev.airworthy.run.Runner;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A benchmark, not a test: {@code secrets.scan} on a generated tree of source-like files (default
 * 200 MB in about 7,000 files: Java, Python, TypeScript, Go, YAML, JSON, SQL, Markdown) with a known
 * set of planted secrets, run through the real loader, runner and check several times (after one
 * warm-up run). Prints MB/s of wall time and MB per CPU second (steadier on a shared machine),
 * planted secrets found and missed, anything else reported (noise), and, when {@code rg} is on the
 * PATH, ripgrep's time over the same tree for comparison. The tree is kept in the temporary
 * directory and reused by later runs of the same size.
 *
 * <p>Run it with {@code bench/secrets-scan [MB]}.
 */
public final class SecretScanBenchmark {
    private static final int RUNS = 5;
    /** Bump when the generator changes, so an old tree is not reused. */
    private static final int VERSION = 3;
    private static final String[] WORDS = {"order", "customer", "invoice", "payment", "cart", "session", "user", "account",
        "cache", "queue", "task", "worker", "report", "shipment", "refund", "sku", "mask", "desk",
        "price", "discount", "coupon", "inventory", "warehouse", "login", "profile", "address", "event",
        "webhook", "retry", "timeout", "limit", "batch", "export", "import", "migration", "schema", "index", "metrics",
        "health", "status", "config", "settings", "client", "server", "request", "response", "handler", "service", "mask"};
    private static final String[] HOSTS = {"api.acme.io", "shop.acme.io", "cdn.acme.io", "registry.npmjs.org",
        "github.com", "docs.python.org", "pkg.go.dev", "example.com", "db.internal.acme.io", "s3.eu-west-1.amazonaws.com"};
    private static final String[] PROSE = {"The", "service", "stores", "each", "order", "in", "PostgreSQL", "and", "sends",
        "a", "webhook", "when", "its", "status", "changes.", "Tokens", "expire", "after", "one", "hour;", "refresh", "them",
        "with", "the", "client", "credentials.", "Never", "commit", "a", "password", "or", "secret", "key.", "See", "the",
        "runbook", "for", "rotation", "steps.", "Deployments", "run", "on", "Kubernetes", "with", "three", "replicas."};

    private static final java.util.regex.Pattern SECRETISH = java.util.regex.Pattern.compile("(?i)token|password|secret");

    private SecretScanBenchmark() {
    }

    /** A planted secret: the rule that should report it and where. */
    private record Planted(String rule, String file, int line) {
        String key() {
            return "secrets.scan." + rule + "@" + file + ":" + line;
        }
    }

    public static void main(String[] args) throws Exception {
        int mb = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path base = Path.of(System.getProperty("java.io.tmpdir"), "airworthy-secrets-bench-v" + VERSION + "-" + mb + "mb");
        Path tree = base.resolve("tree");
        Path manifest = base.resolve("planted.tsv");
        if (!Files.exists(manifest)) {
            long t0 = System.nanoTime();
            generate(tree, manifest, mb);
            System.out.printf(Locale.ROOT, "generated %s in %.1f s%n", tree, (System.nanoTime() - t0) / 1e9);
        } else {
            System.out.println("reusing " + tree);
        }
        List<Planted> planted = Files.readAllLines(manifest).stream().map(l -> l.split("\t"))
                .map(p -> new Planted(p[0], p[1], Integer.parseInt(p[2]))).toList();
        long bytes;
        long files;
        try (Stream<Path> s = Files.walk(tree)) {
            List<Path> all = s.filter(Files::isRegularFile).toList();
            files = all.size();
            bytes = all.stream().mapToLong(p -> p.toFile().length()).sum();
        }
        System.out.printf(Locale.ROOT, "tree: %d files, %.1f MB, %d planted secrets (%d rules)%n", files, bytes / 1e6,
                planted.size(), planted.stream().map(Planted::rule).distinct().count());

        CheckRegistry registry = CheckRegistry.load();
        String yaml = """
                airworthy: 1
                sections:
                  - title: Security
                    items:
                      - id: no-secrets
                        check: secrets.scan
                        timeout: 10m
                """;
        Checklist checklist = new ChecklistLoader(registry, Map.of()).load("bench.yml", yaml, base);
        RunOptions options = RunOptions.defaults().withRepo(tree);
        List<Double> itemMbPerS = new ArrayList<>();
        List<Double> scanMbPerS = new ArrayList<>();
        List<Double> mbPerCpuSecond = new ArrayList<>();
        ItemResult last = null;
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        new Runner(registry, Clock.systemUTC()).run(checklist, options, Progress.NONE); // warm-up: JIT, class loading
        for (int run = 1; run <= RUNS; run++) {
            long cpu0 = os.getProcessCpuTime();
            ItemResult r = new Runner(registry, Clock.systemUTC()).run(checklist, options, Progress.NONE).items().getFirst();
            double cpuSeconds = (os.getProcessCpuTime() - cpu0) / 1e9;
            double item = bytes / 1e6 / (r.durationMs() / 1e3);
            itemMbPerS.add(item);
            scanMbPerS.add(r.metrics().get("scan_mb_per_s"));
            mbPerCpuSecond.add(bytes / 1e6 / cpuSeconds);
            System.out.printf(Locale.ROOT, "run %d: %s in %d ms: %.0f MB/s for the whole item (walk included), scan alone %.0f MB/s;"
                    + " %.2f CPU s, %.0f MB per CPU second%n", run, r.status().label(), r.durationMs(), item,
                    r.metrics().get("scan_mb_per_s"), cpuSeconds, bytes / 1e6 / cpuSeconds);
            last = r;
        }
        System.out.printf(Locale.ROOT, "median: %.0f MB/s whole item, %.0f MB/s scan, %.0f MB per CPU second; %s%n",
                median(itemMbPerS), median(scanMbPerS), median(mbPerCpuSecond), last.evidence().getFirst());
        System.out.printf(Locale.ROOT, "load average while running: %s%n", Files.readString(Path.of("/proc/loadavg")).strip());

        Set<String> expected = new LinkedHashSet<>();
        planted.forEach(p -> expected.add(p.key()));
        Set<String> reported = new HashSet<>();
        Map<String, Integer> noise = new TreeMap<>();
        for (Finding f : last.findings()) {
            String key = f.rule() + "@" + f.file() + ":" + f.line();
            reported.add(key);
            if (!expected.contains(key)) {
                noise.merge(f.rule() + ": " + f.message(), 1, Integer::sum);
            }
        }
        List<String> missed = expected.stream().filter(k -> !reported.contains(k)).toList();
        System.out.printf(Locale.ROOT, "planted: %d, found: %d, missed: %d%s%n", expected.size(), expected.size() - missed.size(),
                missed.size(), missed.isEmpty() ? "" : " " + missed);
        System.out.printf(Locale.ROOT, "other findings (noise): %d%n", noise.values().stream().mapToInt(Integer::intValue).sum());
        noise.forEach((k, n) -> System.out.printf(Locale.ROOT, "  %3d × %s%n", n, k));

        ripgrep(tree, base, bytes);
        System.out.printf(Locale.ROOT, "machine: %d cores, Java %s%n", Runtime.getRuntime().availableProcessors(), Runtime.version());
    }

    /** ripgrep over the same tree: every rule keyword as a literal (the prefilter's work), then four token patterns. */
    private static void ripgrep(Path tree, Path base, long bytes) throws IOException, InterruptedException {
        Path rg = Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .map(d -> Path.of(d, "rg")).filter(Files::isExecutable).findFirst().orElse(null);
        if (rg == null) {
            System.out.println("ripgrep: rg is not on the PATH; install it (apt-get install ripgrep) to compare");
            return;
        }
        Set<String> keywords = new LinkedHashSet<>();
        for (SecretRule r : SecretRules.ALL) {
            keywords.addAll(r.keywords());
        }
        Path patterns = base.resolve("keywords.txt");
        Files.write(patterns, keywords);
        List<List<String>> commands = List.of(
                List.of(rg.toString(), "-c", "-i", "-F", "-f", patterns.toString(), tree.toString()),
                List.of(rg.toString(), "-c", "-e", "AKIA[A-Z2-7]{16}", "-e", "ghp_[A-Za-z0-9]{36}", "-e", "xox[bp]-[0-9]{10,13}-",
                        "-e", "-----BEGIN [A-Z ]{0,20}PRIVATE KEY", tree.toString()));
        List<String> labels = List.of(keywords.size() + " keywords, -F -i", "4 token patterns");
        boolean time = Files.isExecutable(Path.of("/usr/bin/time"));
        for (int c = 0; c < commands.size(); c++) {
            List<Double> seconds = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            for (int run = 0; run < RUNS; run++) {
                List<String> command = new ArrayList<>(commands.get(c));
                Path times = base.resolve("rg-times.txt");
                if (time) {
                    // GNU time's user and system seconds: the CPU the whole process used.
                    command.addAll(0, List.of("/usr/bin/time", "-f", "%U %S", "-o", times.toString()));
                }
                long t0 = System.nanoTime();
                Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                p.waitFor();
                seconds.add((System.nanoTime() - t0) / 1e9);
                if (time) {
                    String[] us = Files.readString(times).strip().split("\\s+");
                    cpu.add(Double.parseDouble(us[0]) + Double.parseDouble(us[1]));
                }
            }
            double s = median(seconds);
            System.out.printf(Locale.ROOT, "ripgrep (%s): %.3f s, %.0f MB/s (median of %d, whole process)%s%n", labels.get(c), s,
                    bytes / 1e6 / s, RUNS, cpu.isEmpty() ? "" : String.format(Locale.ROOT, "; %.2f CPU s, %.0f MB per CPU second",
                            median(cpu), bytes / 1e6 / median(cpu)));
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** Writes the tree and the manifest of planted secrets (written last: its presence means the tree is complete). */
    private static void generate(Path tree, Path manifest, int mb) throws IOException {
        if (Files.exists(tree)) {
            try (Stream<Path> s = Files.walk(tree)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Random random = new Random(20261122);
        FakeSecrets fake = new FakeSecrets(4242);
        long target = (long) mb * 1_000_000;
        int fileCount = Math.max(10, mb * 35);
        long average = target / fileCount;
        List<String> rules = SecretRules.ALL.stream().map(SecretRule::id).toList();
        int plantedCount = Math.min(fileCount / 2, rules.size() * 3);
        List<String> out = new ArrayList<>();
        Set<Integer> plantIn = new HashSet<>();
        while (plantIn.size() < plantedCount) {
            plantIn.add(random.nextInt(fileCount));
        }
        int nextRule = 0;
        String[] kinds = {"java", "py", "ts", "go", "yaml", "json", "sql", "md"};
        for (int i = 0; i < fileCount; i++) {
            String kind = kinds[random.nextInt(kinds.length)];
            String service = "svc-" + WORDS[i % 17];
            String dir = service + "/" + switch (kind) {
                case "java" -> "src/main/java/com/acme/" + WORDS[random.nextInt(WORDS.length)];
                case "md" -> "docs";
                case "yaml" -> "deploy/" + WORDS[random.nextInt(WORDS.length)];
                default -> "src/" + WORDS[random.nextInt(WORDS.length)];
            };
            String name = dir + "/" + capital(WORDS[random.nextInt(WORDS.length)]) + capital(WORDS[random.nextInt(WORDS.length)]) + i + "." + kind;
            long size = (long) Math.max(300, Math.min(40 * average, average * Math.exp(0.9 * random.nextGaussian() - 0.405)));
            List<String> lines = new ArrayList<>();
            long written = 0;
            while (written < size) {
                String line = line(kind, random);
                // Code that handles secrets is a small part of a code base: about 2% of lines here, five
                // times the share in the JDK's own sources.
                while (SECRETISH.matcher(line).find() && random.nextInt(30) != 0) {
                    line = line(kind, random);
                }
                lines.add(line);
                written += line.length() + 1;
            }
            if (plantIn.contains(i)) {
                String rule = rules.get(nextRule++ % rules.size());
                int at = random.nextInt(lines.size() + 1);
                lines.add(at, fake.sample(rule));
                out.add(rule + "\t" + name + "\t" + (at + 1));
            }
            Path file = tree.resolve(name);
            Files.createDirectories(file.getParent());
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (String l : lines) {
                    w.write(l);
                    w.write('\n');
                }
            }
        }
        Files.write(manifest, out);
    }

    /** One line of source-like text of the given kind, with the words real code uses around secrets. */
    private static String line(String kind, Random r) {
        String a = WORDS[r.nextInt(WORDS.length)];
        String b = WORDS[r.nextInt(WORDS.length)];
        String host = HOSTS[r.nextInt(HOSTS.length)];
        int n = r.nextInt(1000);
        return switch (kind) {
            case "java" -> switch (r.nextInt(10)) {
                case 0 -> "    private final " + capital(a) + "Repository " + a + capital(b) + "Repository;";
                case 1 -> "    public " + capital(a) + " find" + capital(b) + "(long id) { return " + a + "s.get(id); }";
                case 2 -> "        if (" + a + " == null) { throw new IllegalArgumentException(\"" + a + " must not be null\"); }";
                case 3 -> "        URI uri = URI.create(\"https://" + host + "/api/v" + (n % 3 + 1) + "/" + a + "s/\" + id);";
                case 4 -> "        log.info(\"refreshing " + a + " token for {} after {} ms\", userId, " + n + ");";
                case 5 -> "        String password = System.getenv(\"" + a.toUpperCase(Locale.ROOT) + "_PASSWORD\");";
                case 6 -> "        headers.put(\"Authorization\", \"Bearer \" + " + a + "Token);";
                case 7 -> "    // TODO: rotate the " + a + " secret every " + n + " days (TASK-" + n + ")";
                case 8 -> "        return new " + capital(a) + capital(b) + "(" + a + ".id(), " + b + ".amount().add(BigDecimal.valueOf(" + n + ")));";
                default -> "";
            };
            case "py" -> switch (r.nextInt(9)) {
                case 0 -> "def " + a + "_" + b + "(self, " + a + "_id: int) -> dict:";
                case 1 -> "    token = request.headers.get(\"Authorization\", \"\").removeprefix(\"Bearer \")";
                case 2 -> "    " + a + " = " + capital(b) + ".objects.filter(" + a + "_id=" + a + "_id).first()";
                case 3 -> "    password = os.environ[\"" + a.toUpperCase(Locale.ROOT) + "_PASSWORD\"]";
                case 4 -> "    resp = requests.get(f\"https://" + host + "/v1/" + a + "s\", timeout=" + (n % 30 + 1) + ")";
                case 5 -> "    logger.debug(\"" + a + " %s refreshed, secret rotated\", " + a + "_id)";
                case 6 -> "    SECRET_KEY_LENGTH = " + (n % 64 + 16);
                case 7 -> "";
                default -> "    return {\"" + a + "\": " + a + ", \"" + b + "\": " + n + "}";
            };
            case "ts" -> switch (r.nextInt(8)) {
                case 0 -> "export async function " + a + capital(b) + "(id: string): Promise<" + capital(a) + "> {";
                case 1 -> "  const token = localStorage.getItem('" + a + "Token');";
                case 2 -> "  const res = await fetch(`https://" + host + "/api/" + a + "s/${id}`, { headers: { Authorization: `Bearer ${token}` } });";
                case 3 -> "  if (!res.ok) throw new Error(`" + a + " request failed: ${res.status}`);";
                case 4 -> "  const secret = process.env." + a.toUpperCase(Locale.ROOT) + "_SECRET ?? '';";
                case 5 -> "import { " + capital(a) + "Service } from '../" + b + "/" + a + ".service';";
                case 6 -> "}";
                default -> "  return { ..." + a + ", " + b + ": " + n + " };";
            };
            case "go" -> switch (r.nextInt(7)) {
                case 0 -> "func (s *" + capital(a) + "Service) " + capital(b) + "(ctx context.Context, id int64) error {";
                case 1 -> "\ttoken, err := s.auth.Token(ctx)";
                case 2 -> "\tif err != nil { return fmt.Errorf(\"" + a + ": %w\", err) }";
                case 3 -> "\treq, _ := http.NewRequestWithContext(ctx, http.MethodGet, \"https://" + host + "/" + a + "\", nil)";
                case 4 -> "\tpassword := os.Getenv(\"" + a.toUpperCase(Locale.ROOT) + "_PASSWORD\")";
                case 5 -> "}";
                default -> "\t" + a + "Count += " + n;
            };
            case "yaml" -> switch (r.nextInt(8)) {
                case 0 -> "  " + a + "_" + b + ": " + n;
                case 1 -> "    image: ghcr.io/acme/" + a + ":" + (n % 5) + "." + (n % 17) + "." + (n % 9);
                case 2 -> "      " + a.toUpperCase(Locale.ROOT) + "_PASSWORD: ${" + a.toUpperCase(Locale.ROOT) + "_PASSWORD}";
                case 3 -> "      - name: " + a + "-" + b;
                case 4 -> "        url: https://" + host + "/" + a;
                case 5 -> "    secretName: " + a + "-tls";
                case 6 -> "  token_ttl: " + n + "s";
                default -> "# " + a + " " + b + " settings";
            };
            case "json" -> switch (r.nextInt(6)) {
                case 0 -> "  \"" + a + "Id\": \"" + uuid(r) + "\",";
                case 1 -> "  \"" + a + "\": { \"" + b + "\": " + n + ", \"enabled\": true },";
                case 2 -> "  \"url\": \"https://" + host + "/" + a + "/" + b + "\",";
                case 3 -> "  \"commit\": \"" + hex(r, 40) + "\",";
                case 4 -> "  \"token_type\": \"Bearer\",";
                default -> "  \"description\": \"" + sentence(r, 8) + "\",";
            };
            case "sql" -> switch (r.nextInt(4)) {
                case 0 -> "INSERT INTO " + a + "s (id, " + b + "_id, created_at) VALUES ('" + uuid(r) + "', " + n + ", now());";
                case 1 -> "CREATE INDEX " + a + "_" + b + "_idx ON " + a + "s (" + b + "_id);";
                case 2 -> "UPDATE " + a + "s SET password_hash = crypt('x', gen_salt('bf')) WHERE id = " + n + ";";
                default -> "-- " + sentence(r, 10);
            };
            default -> switch (r.nextInt(5)) {
                case 0 -> "## " + capital(a) + " " + b;
                case 1, 2 -> sentence(r, 12 + r.nextInt(20));
                case 3 -> "    curl -H \"Authorization: Bearer $TOKEN\" https://" + host + "/" + a;
                default -> "";
            };
        };
    }

    private static String sentence(Random r, int words) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words; i++) {
            b.append(i == 0 ? "" : " ").append(PROSE[r.nextInt(PROSE.length)]);
        }
        return b.toString();
    }

    private static String uuid(Random r) {
        return hex(r, 8) + "-" + hex(r, 4) + "-" + hex(r, 4) + "-" + hex(r, 4) + "-" + hex(r, 12);
    }

    private static String hex(Random r, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("0123456789abcdef".charAt(r.nextInt(16)));
        }
        return b.toString();
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
