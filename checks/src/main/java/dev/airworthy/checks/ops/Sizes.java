package dev.airworthy.checks.ops;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as people write them in checklists: {@code 500MB}, {@code 10GB}, {@code 1.5GiB},
 * {@code 4096} (bytes). KB, MB, GB and TB are powers of 1000, KiB, MiB, GiB and TiB powers of 1024,
 * as in Kubernetes and SI; units are read without case.
 */
final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,15}(?:\\.\\d{1,6})?)\\s?([A-Za-z]{0,3})");
    private static final Map<String, Long> UNITS = Map.ofEntries(
            Map.entry("", 1L), Map.entry("b", 1L),
            Map.entry("kb", 1000L), Map.entry("mb", 1000L * 1000), Map.entry("gb", 1000L * 1000 * 1000),
            Map.entry("tb", 1000L * 1000 * 1000 * 1000),
            Map.entry("kib", 1L << 10), Map.entry("mib", 1L << 20), Map.entry("gib", 1L << 30), Map.entry("tib", 1L << 40));
    static final String FORMS = "a size such as 500MB, 10GB or 1.5GiB (KB, MB, GB, TB: powers of 1000; KiB, MiB, GiB, TiB: of 1024)";

    private Sizes() {
    }

    /** @throws IllegalArgumentException with a message fit for a checklist error */
    static long parse(String text) {
        Matcher m = SIZE.matcher(text.strip());
        Long unit = m.matches() ? UNITS.get(m.group(2).toLowerCase(Locale.ROOT)) : null;
        if (unit == null) {
            throw new IllegalArgumentException("expected " + FORMS + ", got '" + text + "'");
        }
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("size '" + text + "' is too large");
        }
        return bytes.longValue();
    }

    /** {@code 512 B}, {@code 1.2 GB}: decimal units, one decimal from KB on. */
    static String format(long bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
        double v = bytes;
        int i = 0;
        while (v >= 1000 && i < units.length - 1) {
            v /= 1000;
            i++;
        }
        return i == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }
}
