package dev.airworthy.cli;

import java.util.Map;

/**
 * What the output streams are connected to. The launcher script knows for sure ({@code [ -t 1 ]})
 * and passes {@code AIRWORTHY_STDOUT_TTY} and {@code AIRWORTHY_STDERR_TTY}; without them (java -jar
 * run by hand) a console means a terminal.
 */
record Terminal(boolean stdoutTty, boolean stderrTty, boolean color, boolean progress) {

    static Terminal detect(Map<String, String> env) {
        boolean console = consoleIsTerminal();
        boolean out = flag(env.get("AIRWORTHY_STDOUT_TTY"), console);
        boolean err = flag(env.get("AIRWORTHY_STDERR_TTY"), console);
        boolean color = out && !env.containsKey("NO_COLOR") && !"dumb".equals(env.get("TERM"));
        boolean progress = err && !env.containsKey("CI") && !"dumb".equals(env.get("TERM"));
        return new Terminal(out, err, color, progress);
    }

    private static boolean flag(String value, boolean fallback) {
        return value == null ? fallback : value.equals("1");
    }

    /** On JDK 22+ System.console() is non-null even when redirected; Console.isTerminal() tells. */
    private static boolean consoleIsTerminal() {
        java.io.Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
