package dev.airworthy.checks.http;

import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Durations;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Param;
import dev.airworthy.check.ParamType;
import dev.airworthy.check.Params;
import dev.airworthy.check.Severity;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

@AutoService(Check.class)
@CheckInfo(
        id = "http.clock-skew",
        title = "Server clock in sync",
        category = Category.HTTP,
        severity = Severity.LOW,
        summary = """
                Requests a page (with `Cache-Control: no-cache`, so caches revalidate) and compares its \
                `Date` header with the local clock at the midpoint of the request. `Date` has one-second \
                granularity, so the server's time lies somewhere in the second it names: the check fails \
                only when the whole possible range (that second, widened by half the round trip on either \
                side) lies beyond `max-skew`. IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) and the \
                obsolete RFC 850 and asctime forms are accepted (RFC 9110, section 5.6.7). Warns when \
                `Date` is missing or unparsable (there is nothing to measure), when several `Date` \
                headers disagree by more than a second (a proxy and the origin both set one, and airworthy \
                cannot tell whose clock it measures), and when a cached response (`Age` above 0) is off \
                by more than `max-skew` measured one way (its `Date` is when the origin made it) and within \
                it measured the other (`Date` + `Age`). Metric `skew_s`: server minus local, in seconds.""",
        rationale = """
                Clocks that drift break what depends on time: tokens (JWT `exp`/`nbf`, OAuth, signed URLs, \
                TOTP) are rejected or accepted too long, TLS certificates look not yet valid, cache \
                lifetimes are wrong, and logs from different machines no longer line up in an incident.""",
        remediation = """
                Run time synchronisation on every host: `timedatectl set-ntp true` (systemd-timesyncd), \
                chrony or ntpd pointed at reliable servers; in containers the host's clock is used, so fix \
                the host. Check with `chronyc tracking` or `timedatectl timesync-status`.""",
        example = """
                - id: clock
                  title: Server clock within a minute
                  check: http.clock-skew
                  with: { path: /, max-skew: 60s }""",
        references = {"https://www.rfc-editor.org/rfc/rfc9110#name-date",
            "https://www.rfc-editor.org/rfc/rfc9110#name-date-time-formats",
            "https://www.rfc-editor.org/rfc/rfc9111#name-age",
            "https://chrony-project.org/documentation.html"},
        params = {
            @Param(name = "path", defaultValue = "/", description = "Page to fetch."),
            @Param(name = "max-skew", type = ParamType.DURATION, defaultValue = "60s",
                    description = "Largest difference allowed between the server's clock and the local one, either way.")
        })
public final class ClockSkewCheck implements Check {

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        String path = ctx.params().string("path");
        Duration maxSkew = ctx.params().duration("max-skew");
        double max = maxSkew.toMillis() / 1000.0;
        Instant sent = ctx.clock().instant();
        Exchange x = HttpProbe.of(ctx).send(ctx, "GET", HttpProbe.resolve(ctx.requireUrl(), path),
                Map.of("Cache-Control", "no-cache"), null, HttpProbe.HEADERS_ONLY);
        Instant received = ctx.clock().instant();
        double half = Duration.between(sent, received).toNanos() / 2e9;
        Instant mid = sent.plus(Duration.between(sent, received).dividedBy(2));

        Outcome out = new Outcome();
        out.evidence(x.summary());
        List<String> dates = x.headerValues("Date");
        dates.forEach(d -> out.evidence("< Date: " + d));
        x.headerValues("Age").forEach(a -> out.evidence("< Age: " + a));
        out.evidence("local clock at the midpoint of the request: " + mid + " (round trip " + Math.round(half * 2000) + " ms)");

        if (dates.isEmpty()) {
            out.warn("http.clock-skew.no-date", path + " sent no Date header, so the server's clock cannot be measured"
                    + " (RFC 9110 expects origin servers with a clock to send one)");
            return out.result("");
        }
        List<Instant> parsed = new ArrayList<>();
        int localYear = LocalDateTime.ofInstant(mid, ZoneOffset.UTC).getYear();
        for (String d : dates) {
            parseHttpDate(d, localYear).ifPresent(parsed::add);
        }
        if (dates.size() == 1 && parsed.isEmpty()) {
            out.warn("http.clock-skew.bad-date", "Date '" + dates.getFirst() + "' is not an HTTP date (IMF-fixdate, RFC 850 or asctime),"
                    + " so the server's clock cannot be measured");
            return out.result("");
        }
        Instant earliest = parsed.stream().min(Instant::compareTo).orElse(null);
        Instant latest = parsed.stream().max(Instant::compareTo).orElse(null);
        if (parsed.size() < dates.size() || Duration.between(earliest, latest).getSeconds() > 1) {
            out.warn("http.clock-skew.multiple-dates", path + " sent " + dates.size() + " Date headers that do not agree ("
                    + String.join(" | ", dates) + "): a proxy and the origin may both set one, so airworthy cannot tell whose clock it measures");
            return out.result("");
        }
        // The server's time lies in [Date, Date + 1 s) for some local instant between send and receive.
        double low = seconds(earliest, mid) - half;
        double high = seconds(latest, mid) + 1 + half;
        double skew = Math.round((low + high) / 2 * 10) / 10.0;
        out.metric("skew_s", skew);
        String verdict = describe(low, high);
        long age = x.header("Age").map(ClockSkewCheck::age).orElse(0L);
        boolean within = low <= max && high >= -max;
        if (age > 0) {
            boolean withinAged = low + age <= max && high + age >= -max;
            boolean bothAhead = low > max && low + age > max;
            boolean bothBehind = high < -max && high + age < -max;
            if (bothAhead || bothBehind) {
                out.fail("http.clock-skew.skew", "server clock is " + verdict + " the local clock, even allowing for the cached copy's age ("
                        + age + " s); max-skew is " + Durations.format(maxSkew));
            } else if (!within || !withinAged) {
                out.warn("http.clock-skew.cached", path + " came from a cache (Age: " + age + " s), so its Date is when the origin made it."
                        + " Taken as is, the server clock is " + verdict + " the local clock; with the age added, it is "
                        + describe(low + age, high + age) + " it. airworthy cannot tell which clock is off");
            }
        } else if (!within) {
            out.fail("http.clock-skew.skew", "server clock is " + verdict + " the local clock (max-skew " + Durations.format(maxSkew) + ")");
        }
        return out.result("server clock is " + verdict + " the local clock, within " + Durations.format(maxSkew));
    }

    /** The skew range in words: "in step with" when it includes zero, else "about 300 s ahead of" (the range's middle). */
    private static String describe(double low, double high) {
        if (low <= 0 && high >= 0) {
            return "in step (to the second) with";
        }
        double mid = (low + high) / 2;
        return String.format(Locale.ROOT, "about %.1f s %s", Math.abs(mid), mid > 0 ? "ahead of" : "behind");
    }

    private static double seconds(Instant server, Instant local) {
        return Duration.between(local, server).toNanos() / 1e9;
    }

    private static long age(String v) {
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static final String DAY = "[A-Za-z]{3,9}";
    private static final String MONTH = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
    private static final String TIME = "(\\d{1,2}):(\\d{2}):(\\d{2})";
    /** IMF-fixdate, and the same with a one-digit day or UTC for GMT, which some servers send. */
    private static final Pattern IMF = Pattern.compile(
            DAY + ",\\s*(\\d{1,2})\\s+" + MONTH + "\\s+(\\d{4})\\s+" + TIME + "\\s+(?:GMT|UTC|\\+0000)", Pattern.CASE_INSENSITIVE);
    private static final Pattern RFC850 = Pattern.compile(
            DAY + ",\\s*(\\d{1,2})-" + MONTH + "-(\\d{2})\\s+" + TIME + "\\s+GMT", Pattern.CASE_INSENSITIVE);
    private static final Pattern ASCTIME = Pattern.compile(
            DAY + "\\s+" + MONTH + "\\s+(\\d{1,2})\\s+" + TIME + "\\s+(\\d{4})", Pattern.CASE_INSENSITIVE);

    /**
     * An HTTP date in any of the three forms of RFC 9110 section 5.6.7. A two-digit RFC 850 year is
     * read as the most recent year with those digits that is not more than 50 years after {@code localYear}.
     */
    static Optional<Instant> parseHttpDate(String value, int localYear) {
        String v = value.strip();
        try {
            Matcher m = IMF.matcher(v);
            if (m.matches()) {
                return Optional.of(instant(Integer.parseInt(m.group(3)), m.group(2), m.group(1), m.group(4), m.group(5), m.group(6)));
            }
            m = RFC850.matcher(v);
            if (m.matches()) {
                int year = localYear / 100 * 100 + Integer.parseInt(m.group(3));
                if (year > localYear + 50) {
                    year -= 100;
                }
                return Optional.of(instant(year, m.group(2), m.group(1), m.group(4), m.group(5), m.group(6)));
            }
            m = ASCTIME.matcher(v);
            if (m.matches()) {
                return Optional.of(instant(Integer.parseInt(m.group(6)), m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)));
            }
        } catch (DateTimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Instant instant(int year, String month, String day, String h, String min, String s) {
        int m = "janfebmaraprmayjunjulaugsepoctnovdec".indexOf(month.toLowerCase(Locale.ROOT)) / 3 + 1;
        int sec = Math.min(59, Integer.parseInt(s)); // a leap second (60) as the second before it
        return LocalDateTime.of(year, m, Integer.parseInt(day), Integer.parseInt(h), Integer.parseInt(min), sec)
                .toInstant(ZoneOffset.UTC);
    }

    @Override
    public List<String> validate(Params p) {
        List<String> problems = new ArrayList<>(HttpProbe.pathProblems("path", p.string("path")));
        if (p.duration("max-skew").isZero()) {
            problems.add("max-skew must be more than 0s");
        }
        return problems;
    }
}
