package dev.airworthy.checks.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airworthy.checks.env.EnvFile.EnvSyntaxError;
import dev.airworthy.checks.env.EnvFile.Variable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dotenv syntax as docker compose and python-dotenv read it, with a line per variable. */
class EnvFileTest {

    private static EnvFile parse(String text) throws EnvSyntaxError {
        return EnvFile.parse(text, ".env");
    }

    private static String value(EnvFile env, String name) {
        return env.get(name).map(Variable::value).orElseThrow();
    }

    @Test
    void readsTheFormsOfADefinition() throws Exception {
        EnvFile env = parse("""
                # a comment

                PLAIN=value
                export EXPORTED=yes
                  INDENTED = spaced out \t
                SINGLE='literal \\n $HOME # not a comment'
                DOUBLE="tab\\there \\"quoted\\" \\\\ \\$HOME"
                INLINE=value # a comment
                HASH=abc#def
                EMPTY=
                QUOTED_EMPTY=""
                BARE
                DOTTED.name-1=x
                AFTER_QUOTE="v"   # comment after the closing quote
                """);
        assertThat(value(env, "PLAIN")).isEqualTo("value");
        assertThat(value(env, "EXPORTED")).isEqualTo("yes");
        assertThat(value(env, "INDENTED")).isEqualTo("spaced out");
        assertThat(value(env, "SINGLE")).isEqualTo("literal \\n $HOME # not a comment");
        assertThat(value(env, "DOUBLE")).isEqualTo("tab\there \"quoted\" \\ $HOME");
        assertThat(value(env, "INLINE")).isEqualTo("value");
        assertThat(value(env, "HASH")).isEqualTo("abc#def");
        assertThat(value(env, "EMPTY")).isEmpty();
        assertThat(value(env, "QUOTED_EMPTY")).isEmpty();
        assertThat(env.get("BARE")).get().extracting(Variable::value).isNull();
        assertThat(value(env, "DOTTED.name-1")).isEqualTo("x");
        assertThat(value(env, "AFTER_QUOTE")).isEqualTo("v");
        assertThat(env.get("PLAIN")).get().extracting(Variable::line).isEqualTo(3);
        assertThat(env.get("AFTER_QUOTE")).get().extracting(Variable::line).isEqualTo(14);
    }

    /** python-dotenv and compose agree: whitespace after '=' is skipped, so the '#' starts the value. */
    @Test
    void aHashRightAfterTheEqualsSignIsPartOfTheValue() throws Exception {
        assertThat(value(parse("KEY= #not a comment\n"), "KEY")).isEqualTo("#not a comment");
        assertThat(value(parse("KEY=a\t#comment\n"), "KEY")).isEqualTo("a");
    }

    @Test
    void quotedValuesSpanLinesAndLineNumbersFollow() throws Exception {
        EnvFile env = parse("""
                FIRST=1
                PEM="-----BEGIN KEY-----
                abc
                -----END KEY-----"
                SINGLE='one
                two'
                NEXT=2
                ESCAPED="a\\nb"
                """);
        assertThat(value(env, "PEM")).isEqualTo("-----BEGIN KEY-----\nabc\n-----END KEY-----");
        assertThat(value(env, "SINGLE")).isEqualTo("one\ntwo");
        assertThat(env.get("PEM")).get().extracting(Variable::line).isEqualTo(2);
        assertThat(env.get("SINGLE")).get().extracting(Variable::line).isEqualTo(5);
        assertThat(env.get("NEXT")).get().extracting(Variable::line).isEqualTo(7);
        assertThat(value(env, "ESCAPED")).isEqualTo("a\nb");
    }

    @Test
    void theLastDefinitionWinsAndVariablesComeInLineOrder() throws Exception {
        EnvFile env = parse("A=1\nB=2\nA=3\n");
        assertThat(env.variables()).containsExactly(new Variable("B", "2", 2), new Variable("A", "3", 3));
        assertThat(env.size()).isEqualTo(2);
    }

    @Test
    void windowsLineEndsAByteOrderMarkAndNoFinalNewline() throws Exception {
        EnvFile env = parse("\uFEFFA=1\r\nB=\"x\r\ny\"\r\nC=last");
        assertThat(value(env, "A")).isEqualTo("1");
        assertThat(value(env, "B")).isEqualTo("x\ny");
        assertThat(value(env, "C")).isEqualTo("last");
        assertThat(env.get("C")).get().extracting(Variable::line).isEqualTo(4);
    }

    @Test
    void malformedLinesNameFileLineAndColumnButNoValue() {
        assertThatThrownBy(() -> parse("A=1\nthis is not a definition\n"))
                .isInstanceOf(EnvSyntaxError.class)
                .hasMessage(".env:2:1: not a KEY=value line (no '=' after the name; a name cannot contain spaces)");
        assertThatThrownBy(() -> parse("A=1\n  =orphan\n"))
                .hasMessage(".env:2:3: not a KEY=value line");
        assertThatThrownBy(() -> parse("KEY:value\n"))
                .hasMessage(".env:1:1: not a KEY=value line (a name holds only letters, digits, '_', '.' and '-')");
        assertThatThrownBy(() -> parse("A=1\nTOKEN=\"s3cr3t-value\n\nB=2\n"))
                .hasMessage(".env:2:7: unterminated double-quoted value of TOKEN")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t"));
        assertThatThrownBy(() -> parse("PASSWORD='hunter2\n"))
                .hasMessage(".env:1:10: unterminated single-quoted value of PASSWORD");
        assertThatThrownBy(() -> parse("X=\"quoted\" trailing-s3cr3t\n"))
                .hasMessage(".env:1:12: unexpected text after the closing quote of X");
    }

    @Test
    void refusesFilesThatAreNotEnvFiles(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.env");
        Files.write(big, new byte[EnvFile.MAX_BYTES + 1]);
        assertThatThrownBy(() -> EnvFile.read(big, "big.env")).hasMessageContaining("big.env:1:1: larger than 1 MiB");
        Path binary = dir.resolve("bin.env");
        Files.write(binary, new byte[] {'A', '=', 0, '1'});
        assertThatThrownBy(() -> EnvFile.read(binary, "bin.env")).hasMessageContaining("bin.env:1:1: holds NUL bytes");
        Path ok = dir.resolve("ok.env");
        Files.writeString(ok, "A=é\n", StandardCharsets.UTF_8);
        assertThat(value(EnvFile.read(ok, "ok.env"), "A")).isEqualTo("é");
    }

    @Test
    void toStringShowsNamesOnly() throws Exception {
        assertThat(parse("PASSWORD=hunter22\n").toString()).isEqualTo("EnvFile[PASSWORD]");
    }
}
