package dev.airworthy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airworthy.check.CheckDescriptor;
import dev.airworthy.check.CheckRegistry;
import dev.airworthy.check.ParamSpec;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "checks", description = "List the check catalog.", mixinStandardHelpOptions = true)
final class ChecksCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print the catalog's metadata as JSON.")
    boolean json;

    private final Session session;

    ChecksCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() throws Exception {
        CheckRegistry registry = CheckRegistry.load();
        if (json) {
            session.out().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree(registry)));
            return ExitCode.GO.code();
        }
        int width = registry.ids().stream().mapToInt(String::length).max().orElse(0);
        int categoryWidth = java.util.Arrays.stream(dev.airworthy.check.Category.values())
                .mapToInt(c -> c.name().length()).max().orElse(8);
        String format = "%-" + width + "s  %-8s  %-" + categoryWidth + "s  %s%n";
        session.out().printf(Locale.ROOT, format, "ID", "SEVERITY", "CATEGORY", "TITLE");
        for (CheckDescriptor d : registry.all()) {
            session.out().printf(Locale.ROOT, format, d.id(), d.severity().label(), d.category().name().toLowerCase(Locale.ROOT), d.title());
        }
        session.out().println();
        session.out().println(registry.all().size() + " checks. `airworthy explain ID` shows one; docs/checks/ has them all.");
        return ExitCode.GO.code();
    }

    private static ArrayNode tree(CheckRegistry registry) {
        ObjectMapper m = new ObjectMapper();
        ArrayNode out = m.createArrayNode();
        for (CheckDescriptor d : registry.all()) {
            ObjectNode o = out.addObject();
            o.put("id", d.id());
            o.put("title", d.title());
            o.put("category", d.category().name().toLowerCase(Locale.ROOT));
            o.put("severity", d.severity().label());
            o.put("summary", d.summary());
            ArrayNode params = o.putArray("params");
            for (ParamSpec p : d.params()) {
                ObjectNode po = params.addObject();
                po.put("name", p.name());
                po.put("type", p.type().label());
                po.put("required", p.required());
                if (!p.defaultText().isEmpty()) {
                    po.put("default", p.defaultText());
                }
                po.put("description", p.description());
            }
        }
        return out;
    }
}
