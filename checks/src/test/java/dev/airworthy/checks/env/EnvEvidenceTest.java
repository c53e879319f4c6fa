package dev.airworthy.checks.env;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.check.CheckRegistry;
import dev.airworthy.check.Finding;
import dev.airworthy.check.Status;
import dev.airworthy.checklist.Checklist;
import dev.airworthy.checklist.ChecklistLoader;
import dev.airworthy.run.ItemResult;
import dev.airworthy.run.Progress;
import dev.airworthy.run.RunOptions;
import dev.airworthy.run.Runner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets in env files never reach a report: not through fallbacks, origins with user info, nor references. */
class EnvEvidenceTest {
    private static final CheckRegistry REGISTRY = CheckRegistry.load();
    private static final String PASSWORD = "Xk29sLq81vMzT4pw";

    @TempDir
    Path repo;

    private List<ItemResult> run(String items) throws Exception {
        String yaml = "airworthy: 1\nsections:\n  - title: T\n    items:\n" + items;
        Checklist checklist = new ChecklistLoader(REGISTRY, Map.of()).load("t.yml", yaml, repo);
        return new Runner(REGISTRY, Clock.systemUTC()).run(checklist, RunOptions.defaults().withRepo(repo), Progress.NONE).items();
    }

    private static List<String> everything(List<ItemResult> items) {
        List<String> out = new ArrayList<>();
        for (ItemResult r : items) {
            out.add(r.message());
            out.addAll(r.evidence());
            r.findings().stream().map(Finding::message).forEach(out::add);
        }
        return out;
    }

    @Test
    void fallbacksAndOriginsWithUserInfoAreMasked() throws Exception {
        Files.writeString(repo.resolve(".env.production"), """
                DATABASE_URL=${DB_URL:-postgres://app:%1$s@db/app}
                SENTRY_DSN="${SENTRY:-https://%1$s@o1.ingest.sentry.io/1}"
                CORS_ORIGINS=https://admin:%1$s@a.example.com,${X:-https://u:%1$s@b.example.com}
                ALLOWED_ORIGINS=${ORIGINS:-https://u:%1$s@c.example.com}
                """.formatted(PASSWORD));
        List<ItemResult> items = run("""
                      - { id: required, check: env.required, with: { vars: [DATABASE_URL, SENTRY_DSN, CORS_ORIGINS] } }
                      - { id: cors, check: env.cors }
                      - { id: secrets, check: env.secrets-strong }
                """);
        assertThat(items).extracting(ItemResult::status).containsExactly(Status.PASS, Status.WARN, Status.PASS);
        assertThat(everything(items)).isNotEmpty().noneMatch(s -> s.contains(PASSWORD) || s.contains(PASSWORD.substring(0, 8)));
        assertThat(items.getFirst().evidence()).contains("DATABASE_URL: set (38 chars) (via the fallback of ${DB_URL}), line 1");
    }
}
