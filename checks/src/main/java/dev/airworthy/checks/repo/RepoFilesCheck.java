package dev.airworthy.checks.repo;

import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Finding;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Param;
import dev.airworthy.check.ParamType;
import dev.airworthy.check.Params;
import dev.airworthy.check.Severity;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

@AutoService(Check.class)
@CheckInfo(
        id = "repo.files",
        title = "Required files present",
        category = Category.REPOSITORY,
        severity = Severity.MEDIUM,
        summary = """
                Each listed path exists in the repository and is not empty; a glob (`docs/*.md`, \
                `**/Dockerfile`) must match at least one non-empty file. A directory counts when it \
                holds at least one file.""",
        rationale = """
                Checklists name the documents and files a service must ship with: a README, a runbook, \
                a Dockerfile, a lockfile, a CHANGELOG. An empty placeholder is as good as none at 3 a.m.""",
        remediation = """
                Add the missing files with real content, or correct the path in the checklist if the \
                file moved. Paths are relative to the repository root (`--repo`).""",
        example = """
                - id: runbook
                  title: Runbook and README are in the repository
                  check: repo.files
                  with: { files: [README.md, docs/runbook.md] }""",
        params = {
            @Param(name = "files", type = ParamType.STRING_LIST, required = true,
                    description = "Paths or globs relative to the repository root.")
        })
public final class RepoFilesCheck implements Check {

    @Override
    public CheckResult run(CheckContext ctx) throws IOException {
        Path repo = ctx.repo();
        Outcome out = new Outcome();
        List<String> files = ctx.params().list("files");
        for (String entry : files) {
            if (isGlob(entry)) {
                List<Path> matches = glob(repo, entry);
                List<Path> nonEmpty = matches.stream().filter(RepoFilesCheck::nonEmptyFile).toList();
                if (matches.isEmpty()) {
                    out.finding(Finding.fail("repo.files.missing", "nothing matches " + entry).at(entry, null));
                } else if (nonEmpty.isEmpty()) {
                    out.finding(Finding.fail("repo.files.empty", "every match of " + entry + " is empty").at(entry, null));
                } else {
                    out.evidence(entry + ": " + nonEmpty.size() + " match(es), e.g. " + repo.relativize(nonEmpty.getFirst()));
                }
                continue;
            }
            Path p = repo.resolve(entry).normalize();
            if (!Files.exists(p)) {
                out.finding(Finding.fail("repo.files.missing", entry + " is missing").at(entry, null));
            } else if (Files.isDirectory(p) ? isEmptyDir(p) : Files.size(p) == 0) {
                out.finding(Finding.fail("repo.files.empty", entry + " is empty").at(entry, null));
            } else {
                out.evidence(entry + ": " + (Files.isDirectory(p) ? "directory" : Files.size(p) + " bytes"));
            }
        }
        return out.result(files.size() == 1 ? files.getFirst() + " present" : "all " + files.size() + " present");
    }

    private static boolean isGlob(String s) {
        return s.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    private static List<Path> glob(Path repo, String pattern) throws IOException {
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        try (Stream<Path> s = Files.walk(repo)) {
            return s.filter(p -> !p.equals(repo))
                    .filter(p -> !repo.relativize(p).startsWith(".git"))
                    .filter(p -> m.matches(repo.relativize(p)))
                    .sorted()
                    .toList();
        }
    }

    private static boolean nonEmptyFile(Path p) {
        try {
            return Files.isDirectory(p) ? !isEmptyDir(p) : Files.size(p) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isEmptyDir(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.noneMatch(Files::isRegularFile);
        }
    }

    @Override
    public List<String> validate(Params p) {
        List<String> problems = new ArrayList<>();
        if (p.list("files").isEmpty()) {
            problems.add("files lists nothing");
        }
        for (String f : p.list("files")) {
            Path path = Path.of(f).normalize();
            if (path.isAbsolute() || path.startsWith("..")) {
                problems.add("'" + f + "' leaves the repository; paths are relative to its root");
            }
        }
        return problems;
    }
}
