package dev.airworthy.check;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Renders a check's documentation page, and the catalog index, from {@link CheckInfo} alone.
 * The pages under {@code docs/checks/} and {@code airworthy explain} are this text.
 */
public final class CheckDocs {
    private CheckDocs() {
    }

    public static String fileName(CheckDescriptor d) {
        return d.id() + ".md";
    }

    public static String page(CheckDescriptor d) {
        StringBuilder sb = new StringBuilder();
        sb.append(stamp(d.check().getClass().getName()));
        sb.append("# `").append(d.id()).append("`: ").append(d.title()).append("\n\n");
        sb.append("| category | default severity |\n|---|---|\n");
        sb.append("| ").append(d.category().title()).append(" | ").append(d.severity().label()).append(" |\n\n");
        sb.append("## What it checks\n\n").append(d.summary()).append("\n\n");
        sb.append("## Why it matters\n\n").append(d.rationale()).append("\n\n");
        sb.append("## How to fix\n\n").append(d.remediation()).append("\n\n");
        sb.append("## Parameters\n\n");
        if (d.params().isEmpty()) {
            sb.append("None.\n\n");
        } else {
            sb.append("| name | type | default | description |\n|---|---|---|---|\n");
            for (ParamSpec p : d.params()) {
                String def = p.required() ? "**required**" : p.defaultText().isEmpty() ? "" : "`" + p.defaultText() + "`";
                sb.append("| `").append(p.name()).append("` | ").append(p.type().label()).append(" | ")
                        .append(def).append(" | ").append(p.description().replace("|", "\\|")).append(" |\n");
            }
            sb.append('\n');
        }
        sb.append("## Example\n\n```yaml\nsections:\n  - title: Example\n    items:\n");
        d.example().lines().forEach(l -> sb.append("      ").append(l).append('\n'));
        sb.append("```\n");
        if (!d.references().isEmpty()) {
            sb.append("\n## References\n\n");
            d.references().forEach(r -> sb.append("- <").append(r).append(">\n"));
        }
        return sb.toString();
    }

    /** The catalog index: every check by category, linking its page. */
    public static String index(List<CheckDescriptor> checks) {
        StringBuilder sb = new StringBuilder();
        sb.append(stamp("every registered check"));
        sb.append("# Check catalog\n\n");
        sb.append("Each check below is one class whose metadata generates its page. Use one in `airworthy.yml` with\n");
        sb.append("`check: <id>` and its parameters under `with:`; see [the checklist format](../checklist.md).\n\n");
        Map<Category, List<CheckDescriptor>> byCategory = new TreeMap<>(checks.stream()
                .collect(Collectors.groupingBy(CheckDescriptor::category)));
        byCategory.forEach((category, list) -> {
            sb.append("## ").append(category.title()).append("\n\n");
            sb.append("| id | title | default severity |\n|---|---|---|\n");
            list.stream().sorted((a, b) -> a.id().compareTo(b.id())).forEach(d -> sb.append("| [`").append(d.id())
                    .append("`](").append(fileName(d)).append(") | ").append(d.title()).append(" | ")
                    .append(d.severity().label()).append(" |\n"));
            sb.append('\n');
        });
        return sb.toString();
    }

    private static String stamp(String from) {
        return "<!-- Generated from " + from + " by dev.airworthy.checks.CatalogDocs; do not edit. -->\n";
    }
}
