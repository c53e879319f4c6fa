package dev.airworthy.checks.secrets;

import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Finding;
import dev.airworthy.check.NotApplicable;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Param;
import dev.airworthy.check.ParamType;
import dev.airworthy.check.Params;
import dev.airworthy.check.Severity;
import dev.airworthy.checks.repo.RepoTree;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

@AutoService(Check.class)
@CheckInfo(
        id = "secrets.scan",
        title = "No secrets in the repository",
        category = Category.REPOSITORY,
        severity = Severity.CRITICAL,
        summary = """
                Scans every file of the repository for credentials. Skipped: binaries (over 5% NUL or control bytes in the first 8 KiB; UTF-16 text is \
                decoded and scanned), files `.gitignore` \
                names unless git tracks them, and vendored directories (`node_modules`, `vendor`, `third_party`, \
                `bower_components`, `jspm_packages`, `Pods`, `.bundle`, `.yarn`, virtualenvs, tool caches, VCS \
                metadata) except the credential files in them (`.bundle/config`, `.npmrc`, `.pypirc`, `.netrc`, \
                `.pgpass`, `.git-credentials`, `.docker/config.json`) that git tracks, or `.bundle/config` outside \
                a git work tree. Rules: cloud keys (`aws-access-key-id`, `aws-secret-access-key`, \
                `google-api-key`, `azure-storage-key`), forge tokens (`github-pat`, `github-fine-grained-pat`, \
                `github-app-token`, `github-oauth`, `gitlab-pat`), chat and mail (`slack-bot-token`, \
                `slack-user-token`, `slack-app-token`, `slack-webhook`, `sendgrid-api-key`, `twilio-api-key`), payment \
                (`stripe-live-key`), package registries (`npm-token`, `pypi-token`), AI providers \
                (`openai-api-key`, `anthropic-api-key`), private keys (`private-key-rsa`, `private-key-ec`, \
                `private-key-dsa`, `private-key-openssh`, `private-key-pgp`, `private-key-pkcs8`, encrypted ones \
                included), `jwt`, `connection-url-password`, \
                passwords in `.netrc` and `.pgpass` lines (`netrc-password`, `pgpass-password`), base64 \
                `user:password` after `Basic` or in Docker's `"auth"` (`basic-auth-credentials`), and `generic-password`, `generic-secret`, \
                `generic-token` (a value assigned to a name that says it is a secret, reported only when it \
                looks generated: long enough, mixed, high entropy). Findings are `secrets.scan.<rule>` with \
                file and line; the secret is shown only as a prefix and its length. Not reported: placeholders \
                (`<...>`, `${...}`, `your_...`, `changeme`), vendors' documented example keys \
                (`AKIAIOSFODNN7EXAMPLE`, the jwt.io sample token, Azurite's key), GitHub and npm tokens whose \
                CRC32 tail does not match, UUIDs, hashes in lockfiles, base64 in `data:` URIs, and the context \
                rules in minified code, source maps and bundles (`*.min.js`, `*.min.css`, `*.map`, `*.bundle.js`, \
                `*.chunk.js`). A value assigned to a secret's name is found in code held in JSON strings too \
                (`\\"api_key\\": \\"...\\"`); a private key split over concatenated string literals is found. A file not scanned (larger than \
                `max-file-size`, unreadable) is a `secrets.scan.not-scanned` warning, never a silent pass. A finding is not reported when its \
                line holds `airworthy:allow` as a token of its own in a comment (after `#`, `//`, `/*`, `--`, \
                `<!--` or `;`) and outside the secret itself; `airworthy:allow-list` or the marker inside a value \
                does not count. It reads each file once, runs one automaton over every rule's keywords before any \
                pattern, and uses every core; `bench/secrets-scan` measures it on a generated 200 MB tree.""",
        rationale = """
                A credential in a repository is readable by everyone with a clone, forever: in forks, CI \
                caches, laptops and the history. Attackers scan public pushes within minutes; a private \
                repository leaks through the next contractor, backup or compromised token. Going live is \
                when such keys start guarding real data.""",
        remediation = """
                Revoke the credential first (it is in the history, deleting the line is not enough), issue a \
                new one and load it from the environment or a secret manager (`${VAR}` references are \
                fine). For findings that are not secrets, or accepted for now: an `# airworthy:allow` comment on the line, \
                `allow-paths` for fixtures and test data, `allow-regex` for known test values, or a baseline \
                written by `airworthy baseline` (entries are keyed by an HMAC of rule and secret under a random \
                salt kept in the file, not by line; stale entries are listed in the evidence by rule and place).""",
        example = """
                - id: no-secrets
                  title: No credentials committed
                  check: secrets.scan
                  with:
                    allow-paths: ["test/fixtures/**"]
                    baseline: .airworthy/secrets-baseline.json""",
        references = {
            "https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/",
            "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/security-creds.html"
        },
        params = {
            @Param(name = "allow-paths", type = ParamType.STRING_LIST,
                    description = "Globs of files not to scan, relative to the repository root: `test/fixtures/**`, "
                            + "`**/*.snap`; a glob without `/` matches the file name in any directory."),
            @Param(name = "allow-regex", type = ParamType.STRING_LIST,
                    description = "Patterns over the secret itself; a finding whose secret contains a match is not reported."),
            @Param(name = "baseline", description = "A baseline file (relative to the checklist) of accepted findings, "
                    + "written by `airworthy baseline`; it must exist when named."),
            @Param(name = "rules", type = ParamType.STRING_LIST,
                    description = "Run only these rules (ids as listed above; default: all)."),
            @Param(name = "exclude-rules", type = ParamType.STRING_LIST, description = "Rules not to run."),
            @Param(name = "max-file-size", defaultValue = "5MB",
                    description = "Larger files are not scanned; each is a `secrets.scan.not-scanned` warning, so the item "
                            + "does not pass (`512KB`, `20MB`).")
        })
public final class SecretScanCheck implements Check {
    private static final int SHOWN_FINDINGS = 500;
    static final String NOT_SCANNED = "secrets.scan.not-scanned";
    private static final String BUNDLER_CONFIG = ".bundle/config";
    private static final Set<String> CREDENTIAL_FILES = Set.of(".npmrc", ".pypirc", ".netrc", ".pgpass", ".git-credentials");
    private static final Pattern SIZE = Pattern.compile("(?i)\\s*(\\d{1,12})\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?\\s*");

    @Override
    public CheckResult run(CheckContext ctx) throws IOException, InterruptedException, dev.airworthy.checks.repo.UnreadableFile {
        Params p = ctx.params();
        Outcome out = new Outcome();
        SecretBaseline baseline = null;
        Optional<Path> baselineFile = baselineFile(p, ctx.checklistDir());
        if (baselineFile.isPresent()) {
            Path file = baselineFile.get();
            if (!Files.isRegularFile(file)) {
                return out.error("baseline " + p.string("baseline") + " does not exist (" + file
                        + "); write it with: airworthy baseline");
            }
            try {
                baseline = SecretBaseline.read(file, p.string("baseline"));
            } catch (SecretBaseline.Invalid e) {
                return out.error(e.getMessage());
            }
        }
        RepoTree tree = RepoTree.of(ctx);
        List<RepoTree.RepoFile> beyond = beyondTheWalk(tree);
        List<RepoTree.RepoFile> files = new ArrayList<>(tree.files());
        files.addAll(beyond);
        if (files.isEmpty()) {
            throw new NotApplicable("the repository has no files to scan");
        }
        if (!beyond.isEmpty()) {
            out.evidence("also scanned " + files(beyond.size()) + " that git tracks but the walk leaves out (.gitignore, "
                    + "or a credential file in a vendored directory): " + list(beyond.stream().map(RepoTree.RepoFile::path).toList()));
        }
        Duration left = ctx.remaining();
        // Stop a little early, so the item reports how far it got rather than being cut off by the runner.
        Duration margin = Duration.ofMillis(Math.min(1000, Math.max(50, left.toMillis() / 20)));
        SecretScanner.Report r = scanner(p).scan(files, System.nanoTime() + left.minus(margin).toNanos());

        out.evidence(String.format(Locale.ROOT, "scanned %s (%.1f MB) in %.2f s: %.0f MB/s on %d threads, %d rules",
                files(r.filesScanned()), r.bytesScanned() / 1e6, r.seconds(), r.megabytesPerSecond(), threads(), rules(p).size()));
        out.metric("files_scanned", r.filesScanned());
        out.metric("scanned_mb", Math.round(r.bytesScanned() / 1e5) / 10.0);
        out.metric("scan_mb_per_s", Math.round(r.megabytesPerSecond()));
        out.metric("scan_ms", Math.round(r.nanos() / 1e6));
        if (r.binaries() > 0) {
            out.evidence("skipped " + r.binaries() + " binary file(s) (over 5% NUL or control bytes in the first 8 KiB)");
        }
        if (r.allowedPaths() > 0) {
            out.evidence(r.allowedPaths() + " file(s) left out by allow-paths " + p.list("allow-paths"));
        }
        // A file not read is a question left open: never a silent pass (a warning naming it, at least).
        String maxSize = p.string("max-file-size");
        for (RepoTree.RepoFile f : r.tooLarge()) {
            out.finding(Finding.warn(NOT_SCANNED, String.format(Locale.ROOT, "%s not scanned: %.1f MB, larger than max-file-size %s",
                    f.path(), f.size() / 1e6, maxSize)).at(f.path(), null));
        }
        for (SecretScanner.NotRead f : r.unreadable()) {
            out.finding(Finding.warn(NOT_SCANNED, f.path() + " not scanned: " + f.reason()).at(f.path(), null));
        }
        if (!r.tooLarge().isEmpty()) {
            out.evidence("not scanned, larger than max-file-size " + maxSize + ": " + list(r.tooLarge().stream()
                    .map(f -> String.format(Locale.ROOT, "%s (%.1f MB)", f.path(), f.size() / 1e6)).toList()));
        }
        if (!r.unreadable().isEmpty()) {
            out.evidence("could not read: " + list(r.unreadable().stream().map(SecretScanner.NotRead::toString).toList()));
        }
        if (r.allowedInline() > 0) {
            out.evidence(r.allowedInline() + " finding(s) on lines marked airworthy:allow");
        }
        if (r.allowedRegex() > 0) {
            out.evidence(r.allowedRegex() + " finding(s) matched by allow-regex");
        }

        List<SecretScanner.Finding> found = new ArrayList<>();
        int baselined = 0;
        Set<String> seen = new LinkedHashSet<>();
        for (SecretScanner.Finding f : r.findings()) {
            if (baseline != null && baseline.contains(f)) {
                seen.add(baseline.fingerprint(f));
                baselined++;
            } else {
                found.add(f);
            }
        }
        if (baseline != null) {
            out.evidence("baseline " + p.string("baseline") + ": " + baseline.entries().size() + " entr"
                    + (baseline.entries().size() == 1 ? "y" : "ies") + "; " + baselined + " finding(s) baselined");
            // Rule and place only: a fingerprint's prefix would let a reader confirm a guessed secret.
            List<String> stale = baseline.entries().stream().filter(e -> !seen.contains(e.fingerprint()))
                    .map(e -> e.rule() + " recorded at " + e.file() + ":" + e.line())
                    .toList();
            if (!stale.isEmpty() && r.finished()) {
                out.evidence("stale baseline entries, found no more (remove them): " + list(stale));
            }
            out.metric("baselined_findings", baselined);
        }
        for (SecretScanner.Finding f : found.subList(0, Math.min(found.size(), SHOWN_FINDINGS))) {
            out.finding(Finding.fail(f.rule().findingRule(), f.rule().description() + " " + f.masked()).at(f.path(), f.line()));
        }
        int hidden = found.size() - Math.min(found.size(), SHOWN_FINDINGS) + r.moreFindings();
        if (hidden > 0) {
            out.evidence(hidden + " more finding(s) not listed");
        }

        if (!r.finished()) {
            return out.error("scan did not finish by its deadline: " + r.filesDone() + " of " + files(r.files())
                    + (found.isEmpty() ? "" : " (" + found.size() + " secret(s) found so far)"));
        }
        int notRead = r.tooLarge().size() + r.unreadable().size();
        String notScanned = notRead == 0 ? "" : "; " + notRead + " file(s) not scanned ("
                + (r.tooLarge().isEmpty() ? "" : r.tooLarge().size() + " over max-file-size " + maxSize + ", e.g. "
                        + r.tooLarge().getFirst().path() + (r.unreadable().isEmpty() ? "" : "; "))
                + (r.unreadable().isEmpty() ? "" : r.unreadable().size() + " unreadable, e.g. " + r.unreadable().getFirst()) + ")";
        if (found.isEmpty() && !r.unreadable().isEmpty()) {
            return out.error("could not read " + r.unreadable().size() + " file(s): " + r.unreadable().getFirst());
        }
        if (r.filesScanned() == 0) {
            // Nothing was judged: no pass. Files too large to read are a question left open, the rest is nothing to scan.
            if (!r.tooLarge().isEmpty()) {
                return out.error("no file was scanned: " + r.tooLarge().size() + " over max-file-size "
                        + p.string("max-file-size") + ", e.g. " + r.tooLarge().getFirst().path());
            }
            return out.skipped("no text file to scan (" + files(files.size()) + ": binary, empty or left out by allow-paths)");
        }
        if (found.isEmpty()) {
            // Not a pass when a file was not scanned: the warnings make the status, this says what was judged.
            return out.result("").withMessage(String.format(Locale.ROOT, "no secrets in %s (%.1f MB)%s%s", files(r.filesScanned()),
                    r.bytesScanned() / 1e6, baselined > 0 ? "; " + baselined + " baselined" : "", notScanned));
        }
        long fileCount = found.stream().map(SecretScanner.Finding::path).distinct().count();
        String first = found.stream().limit(3)
                .map(f -> f.rule().description() + " " + f.masked() + " at " + f.path() + ":" + f.line())
                .collect(Collectors.joining("; "));
        // Past MAX_FINDINGS the rest were counted but not judged against the baseline: at least this many.
        return out.result("").withMessage((r.moreFindings() > 0 ? "at least " + found.size() : String.valueOf(found.size())) + " secret(s) in " + files(fileCount) + ": " + first
                + (found.size() > 3 ? "; and " + (found.size() - 3) + " more" : "")
                + (baselined > 0 ? " (" + baselined + " baselined)" : "") + notScanned);
    }

    /**
     * Files in the repository that the walk leaves out but that hold secrets all the same: files git
     * tracks although {@code .gitignore} names them (they are in every clone and in the history), and
     * credential files ({@code .bundle/config}, {@code .npmrc}, ...) inside vendored directories, which
     * the walk skips by name. Outside a git work tree only {@code .bundle/config} at the root is added.
     *
     * @throws dev.airworthy.checks.repo.UnreadableFile when the git index cannot be read: which files
     *     git tracks is then unknown, so the scan cannot say it saw them all
     */
    public static List<RepoTree.RepoFile> beyondTheWalk(RepoTree tree) throws dev.airworthy.checks.repo.UnreadableFile {
        Set<String> walked = tree.files().stream().map(RepoTree.RepoFile::path).collect(Collectors.toSet());
        Set<String> candidates = new java.util.TreeSet<>();
        Optional<Set<String>> tracked = tree.tracked();
        if (tracked.isPresent()) {
            for (String path : tracked.get()) {
                if (!walked.contains(path) && (!inVendoredDir(path) || isCredentialFile(path))) {
                    candidates.add(path);
                }
            }
        } else if (!walked.contains(BUNDLER_CONFIG)) {
            candidates.add(BUNDLER_CONFIG);
        }
        List<RepoTree.RepoFile> out = new ArrayList<>();
        for (String path : candidates) {
            tree.explicit(path).filter(f -> !walked.contains(f.path())).ifPresent(out::add);
        }
        return out;
    }

    private static boolean inVendoredDir(String path) {
        String[] parts = path.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            if (RepoTree.SKIPPED_DIRS.contains(parts[i])) {
                return true;
            }
        }
        return false;
    }

    /** Files whose whole purpose is to hold a registry's or a host's credentials. */
    static boolean isCredentialFile(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return CREDENTIAL_FILES.contains(name) || path.equals(BUNDLER_CONFIG) || path.endsWith("/" + BUNDLER_CONFIG)
                || path.equals(".docker/config.json") || path.endsWith("/.docker/config.json");
    }

    /** The scanner an item's parameters describe. */
    public static SecretScanner scanner(Params p) {
        List<Pattern> allow = p.list("allow-regex").stream().map(Pattern::compile).toList();
        return new SecretScanner(new SecretScanner.Options(rules(p), allowPaths(p.list("allow-paths")), allow,
                size(p.string("max-file-size")), threads()));
    }

    /** The baseline file an item names, resolved against the checklist's directory. */
    public static Optional<Path> baselineFile(Params p, Path checklistDir) {
        return p.optionalString("baseline").map(b -> checklistDir.resolve(b).normalize());
    }

    private static int threads() {
        return Runtime.getRuntime().availableProcessors();
    }

    static List<SecretRule> rules(Params p) {
        List<String> only = p.list("rules");
        List<String> excluded = p.list("exclude-rules");
        return SecretRules.ALL.stream()
                .filter(r -> only.isEmpty() || only.stream().anyMatch(id -> SecretRules.byId(id).orElse(null) == r))
                .filter(r -> excluded.stream().noneMatch(id -> SecretRules.byId(id).orElse(null) == r))
                .toList();
    }

    /**
     * Globs over paths relative to the root; {@code **}{@code /x} also matches {@code x} at the root, and a
     * glob without {@code /} matches the file name in any directory, as in {@code .gitignore}.
     */
    static Predicate<String> allowPaths(List<String> globs) {
        List<Predicate<String>> tests = new ArrayList<>();
        for (String g : globs) {
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + g);
            if (!g.contains("/")) {
                tests.add(path -> m.matches(Path.of(path.substring(path.lastIndexOf('/') + 1))));
            } else {
                PathMatcher atRoot = g.startsWith("**/") ? FileSystems.getDefault().getPathMatcher("glob:" + g.substring(3)) : null;
                tests.add(path -> m.matches(Path.of(path)) || atRoot != null && atRoot.matches(Path.of(path)));
            }
        }
        return path -> tests.stream().anyMatch(t -> t.test(path));
    }

    /** {@code 5MB}, {@code 512KB}, {@code 1048576}: binary multiples. */
    static long size(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a size such as 5MB or 512KB, got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        int shift = switch (unit.charAt(0)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        try {
            return Math.multiplyExact(n, 1L << shift);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("size out of range: '" + text + "'");
        }
    }

    private static String files(long n) {
        return n + (n == 1 ? " file" : " files");
    }

    private static String list(List<String> items) {
        int shown = Math.min(items.size(), 10);
        return String.join(", ", items.subList(0, shown)) + (items.size() > shown ? ", and " + (items.size() - shown) + " more" : "");
    }

    @Override
    public List<String> validate(Params p) {
        List<String> problems = new ArrayList<>();
        for (String name : List.of("rules", "exclude-rules")) {
            for (String id : p.list(name)) {
                if (SecretRules.byId(id).isEmpty()) {
                    problems.add(name + ": no rule '" + id + "' (rules: "
                            + SecretRules.ALL.stream().map(SecretRule::id).collect(Collectors.joining(", ")) + ")");
                }
            }
        }
        if (problems.isEmpty() && rules(p).isEmpty()) {
            problems.add("rules and exclude-rules leave no rule to run");
        }
        for (String regex : p.list("allow-regex")) {
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                problems.add("allow-regex '" + regex + "': " + e.getDescription());
            }
        }
        for (String glob : p.list("allow-paths")) {
            try {
                FileSystems.getDefault().getPathMatcher("glob:" + glob);
            } catch (IllegalArgumentException e) {
                problems.add("allow-paths '" + glob + "': " + e.getMessage());
            }
        }
        try {
            if (size(p.string("max-file-size")) <= 0) {
                problems.add("max-file-size must be more than 0");
            }
        } catch (IllegalArgumentException e) {
            problems.add("max-file-size: " + e.getMessage());
        }
        return problems;
    }
}
