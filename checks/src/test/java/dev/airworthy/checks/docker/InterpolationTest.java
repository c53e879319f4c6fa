package dev.airworthy.checks.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.checks.docker.Interpolation.Resolved;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterpolationTest {

    @Test
    void aDefaultIsWhatADeploymentGetsWhenTheVariableIsUnset() {
        Resolved r = Interpolation.resolve("app:${TAG:-1.4.2}");
        assertThat(r.text()).isEqualTo("app:1.4.2");
        assertThat(r.complete()).isTrue();
        assertThat(r.usedDefault()).isTrue();
        assertThat(Interpolation.resolve("app:${TAG-1.4.2}").text()).isEqualTo("app:1.4.2");
    }

    @Test
    void aVariableWithoutDefaultIsUnresolved() {
        assertThat(Interpolation.resolve("app:${TAG}").unresolved()).containsExactly("TAG");
        assertThat(Interpolation.resolve("app:$TAG").unresolved()).containsExactly("TAG");
        assertThat(Interpolation.resolve("${PW:?set it}").unresolved()).containsExactly("PW");
        assertThat(Interpolation.resolve("${FLAG:+on}").unresolved()).containsExactly("FLAG");
    }

    @Test
    void knownValuesWinOverDefaultsAndAnEmptyValueTakesTheColonDefault() {
        Map<String, String> known = Map.of("TAG", "2.0.0", "EMPTY", "");
        assertThat(Interpolation.resolve("${TAG:-1.0}", known::get).text()).isEqualTo("2.0.0");
        assertThat(Interpolation.resolve("${EMPTY:-x}", known::get).text()).isEqualTo("x");
        assertThat(Interpolation.resolve("${EMPTY-x}", known::get).text()).isEmpty();
        assertThat(Interpolation.resolve("${TAG:+set}", known::get).text()).isEqualTo("set");
    }

    @Test
    void defaultsNestAndDoubleDollarIsALiteralDollar() {
        assertThat(Interpolation.resolve("${A:-${B:-./data}}").text()).isEqualTo("./data");
        assertThat(Interpolation.resolve("${A:-${B}}").unresolved()).containsExactly("B");
        Resolved escaped = Interpolation.resolve("$${HOME}/x");
        assertThat(escaped.text()).isEqualTo("${HOME}/x");
        assertThat(escaped.complete()).isTrue();
        assertThat(Interpolation.hasReference("$${HOME}")).isFalse();
        assertThat(Interpolation.hasReference("a$b")).isTrue();
    }

    @Test
    void deepNestingAndUnclosedBracesEndQuickly() {
        String deep = "${A:-".repeat(5000) + "x" + "}".repeat(5000);
        assertThat(Interpolation.resolve(deep).complete()).isTrue();
        assertThat(Interpolation.resolve("${OPEN:-x").text()).isEqualTo("${OPEN:-x");
        assertThat(Interpolation.resolve("cost: 5$").text()).isEqualTo("cost: 5$");
    }
}
