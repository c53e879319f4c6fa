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

    private static EnvFile.Resolved resolved(EnvFile env, String name) {
        return env.resolved(env.get(name).orElseThrow());
    }

    @Test
    void aLoneCarriageReturnEndsALineAndPythonWhitespaceIsStripped() throws Exception {
        EnvFile env = parse("SECRET=abc\rDEBUG=true\rNBSP=\u00A0on\u00A0\u2007\nTAB=\u202Fx #\u00A0c\n");
        assertThat(value(env, "SECRET")).isEqualTo("abc");
        assertThat(value(env, "DEBUG")).isEqualTo("true");
        assertThat(env.get("DEBUG")).get().extracting(Variable::line).isEqualTo(2);
        assertThat(value(env, "NBSP")).isEqualTo("on");
        assertThat(value(env, "TAB")).isEqualTo("x");
    }

    @Test
    void referencesExpandAgainstEarlierDefinitionsAsComposeDoes() throws Exception {
        EnvFile env = parse("""
                ON=true
                WEAK=postgres
                A=${ON}
                B=$ON-$WEAK
                C=${UNSET:-fallback}
                D=${UNSET:-${ALSO_UNSET:-${WEAK}}}
                E=${ON:-no}
                EMPTY=
                F=${EMPTY:-colon}
                G=${EMPTY-dash}
                H=${ON:+alt}
                I=${LATER}
                LATER=x
                J="${ON} and \\$ON and $$ON"
                K='${ON} $ON'
                L=${UNSET}
                M=postgres://app:${DB_PASSWORD:?set it}@db/app
                N=${L:-from-l}
                """);
        assertThat(resolved(env, "A").text()).isEqualTo("true");
        assertThat(resolved(env, "A").how()).isEqualTo("via ${ON} (line 1)");
        assertThat(resolved(env, "B").text()).isEqualTo("true-postgres");
        assertThat(resolved(env, "C").text()).isEqualTo("fallback");
        assertThat(resolved(env, "C").how()).isEqualTo("via the fallback of ${UNSET}");
        assertThat(resolved(env, "D").text()).isEqualTo("postgres");
        assertThat(resolved(env, "D").complete()).isTrue();
        assertThat(resolved(env, "E").text()).isEqualTo("true");
        assertThat(resolved(env, "F").text()).isEqualTo("colon");
        assertThat(resolved(env, "G").text()).isEmpty();
        assertThat(resolved(env, "H").text()).isEqualTo("alt");
        // Only the definitions before it count, as compose and python-dotenv read the file.
        assertThat(resolved(env, "I").fromElsewhere()).isTrue();
        assertThat(resolved(env, "I").references()).containsExactly("${LATER}");
        assertThat(resolved(env, "J").text()).isEqualTo("true and $ON and $ON");
        assertThat(resolved(env, "J").complete()).isTrue();
        assertThat(resolved(env, "K").text()).isEqualTo("${ON} $ON");
        assertThat(resolved(env, "K").complete()).isTrue();
        assertThat(resolved(env, "L").fromElsewhere()).isTrue();
        EnvFile.Resolved m = resolved(env, "M");
        assertThat(m.complete()).isFalse();
        assertThat(m.fromElsewhere()).isFalse();
        assertThat(m.references()).containsExactly("${DB_PASSWORD}");
        assertThat(m.outside(15, 16)).isTrue();
        assertThat(m.outside(0, 15)).isFalse();
        // A name that has only a value from the environment is unset for a fallback: the fallback is what it gets then.
        assertThat(resolved(env, "N").text()).isEqualTo("from-l");
    }

    @Test
    void aSingleQuotedValueIsLiteral() throws Exception {
        EnvFile env = parse("admin=x\nDB_PASSWORD='$admin'\n");
        assertThat(value(env, "DB_PASSWORD")).isEqualTo("$admin");
        assertThat(resolved(env, "DB_PASSWORD").text()).isEqualTo("$admin");
        assertThat(resolved(env, "DB_PASSWORD").complete()).isTrue();
        assertThat(env.get("DB_PASSWORD")).get().extracting(Variable::quoting).isEqualTo(EnvFile.Quoting.SINGLE);
        assertThat(env.resolved(parse("BARE\n").get("BARE").orElseThrow())).isNull();
    }

    @Test
    void nestingAndExpansionAreBounded() throws Exception {
        String deep = "X=" + "${A:-".repeat(9) + "v" + "}".repeat(9) + "\n";
        assertThatThrownBy(() -> parse(deep)).hasMessage(".env:1:1: references nest more than 8 levels deep");
        String eight = "X=" + "${A:-".repeat(8) + "v" + "}".repeat(8) + "\n";
        assertThat(resolved(parse(eight), "X").text()).isEqualTo("v");
        StringBuilder doubling = new StringBuilder("V0=" + "x".repeat(1000) + "\n");
        for (int i = 1; i < 40; i++) {
            doubling.append("V").append(i).append("=${V").append(i - 1).append("}${V").append(i - 1).append("}\n");
        }
        assertThatThrownBy(() -> parse(doubling.toString())).hasMessageContaining("expand to more than 4 MiB");
    }

    @Test
    void toStringShowsNamesOnly() throws Exception {
        assertThat(parse("PASSWORD=hunter22\n").toString()).isEqualTo("EnvFile[PASSWORD]");
    }
}
