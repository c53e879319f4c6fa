package dev.airworthy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.checks.fixture.Checklists;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parameters that cannot work are checklist errors when the file loads, not errors mid-run. */
class CheckValidationTest {
    private static List<String> errors(String items) {
        return Checklists.errors(items);
    }

    @Test
    void yamlNumbersThatAreNotPlainNumbersAreChecklistErrorsNotCrashes() {
        assertThat(errors("""
                - { id: a, check: repo.coverage, with: { min: .inf } }
                - { id: b, check: k8s.replicas, with: { min: 0x10 } }
                - { id: c, check: repo.coverage, with: { min: .NaN } }
                """)).containsExactly(
                "c.yml:5:53: parameter 'min' of repo.coverage: expected a number, got '.inf'",
                "c.yml:6:52: parameter 'min' of k8s.replicas: expected an integer, got '0x10'",
                "c.yml:7:53: parameter 'min' of repo.coverage: expected a number, got '.NaN'");
    }

    @Test
    void httpChecksRejectPathsThatAreNotUrls() {
        assertThat(errors("""
                - { id: a, check: http.status, with: { path: "/a b", status: 700, json: { status: ok } } }
                - { id: b, check: http.health, with: { path: "/x|y", samples: 0 } }
                - { id: c, check: http.security-headers, with: { path: "/ok?q=%zz" } }
                """)).containsExactly(
                "c.yml:5:38: item 'a': path '/a b' is not a valid URL path: Illegal character in path",
                "c.yml:5:38: item 'a': status 700 is not an HTTP status (100-599)",
                "c.yml:5:38: item 'a': JSON pointer 'status' must start with '/' (RFC 6901), e.g. /status",
                "c.yml:6:38: item 'b': path '/x|y' is not a valid URL path: Illegal character in path",
                "c.yml:6:38: item 'b': samples must be between 1 and 100",
                "c.yml:7:48: item 'c': path '/ok?q=%zz' is not a valid URL path: Malformed escape pair");
    }

    @Test
    void repoFilesStaysInsideTheRepository() {
        assertThat(errors("- { id: a, check: repo.files, with: { files: [../secrets.txt, /etc/passwd] } }")).containsExactly(
                "c.yml:5:37: item 'a': '../secrets.txt' leaves the repository; paths are relative to its root",
                "c.yml:5:37: item 'a': '/etc/passwd' leaves the repository; paths are relative to its root");
    }

    @Test
    void requestHeadersWithLineBreaksAreRejectedWithoutQuotingTheirValue() {
        List<String> problems = errors("""
                - { id: a, check: http.status, with: { headers: { Authorization: "Bearer sk_live_abc\\nX-Evil: 1", Host: x } } }
                """);
        assertThat(problems).containsExactly(
                "c.yml:5:38: item 'a': request header 'Authorization' has a line break in its value",
                "c.yml:5:38: item 'a': request header 'Host' is set by the check itself; remove it from headers");
        assertThat(String.join("\n", problems)).doesNotContain("sk_live");
    }
}
