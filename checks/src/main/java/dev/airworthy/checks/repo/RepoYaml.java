package dev.airworthy.checks.repo;

import dev.airworthy.checks.yaml.YamlNode;
import java.io.IOException;
import java.util.List;

/** YAML files of the repository through {@link YamlNode}, every way of failing turned into an {@link UnreadableFile}. */
final class RepoYaml {
    private RepoYaml() {
    }

    static List<YamlNode> parse(RepoTree.RepoFile file) throws UnreadableFile {
        try {
            return YamlNode.parseAll(file.absolute(), file.path());
        } catch (YamlNode.YamlSyntaxError e) {
            throw new UnreadableFile(e.getMessage());
        } catch (IOException e) {
            throw new UnreadableFile(file.path() + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }
}
