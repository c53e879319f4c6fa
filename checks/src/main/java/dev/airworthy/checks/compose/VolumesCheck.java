package dev.airworthy.checks.compose;

import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Finding;
import dev.airworthy.check.Param;
import dev.airworthy.check.ParamType;
import dev.airworthy.check.Params;
import dev.airworthy.check.Severity;
import dev.airworthy.checks.compose.ComposeService.Mount;
import java.util.ArrayList;
import java.util.List;

@AutoService(Check.class)
@CheckInfo(
        id = "compose.volumes",
        title = "Runtime data on persistent volumes",
        category = Category.CONTAINERS,
        severity = Severity.HIGH,
        summary = """
                Each path in `paths` (a directory inside the containers where data lives, such as \
                `/var/lib/postgresql/data`) is the target of, or lies under the target of, a named volume or a bind \
                mount of some service, and every service that mounts something over it mounts one of those. An \
                anonymous volume (`- /var/lib/postgresql/data`, or `type: volume` without a source) fails: it is \
                lost on `docker compose down -v` and replaced by an empty one on `up -V` / `--renew-anon-volumes`. \
                A tmpfs mount is memory, gone on every restart, and fails too, as does a named volume whose \
                top-level definition puts it on tmpfs (`driver_opts: { type: tmpfs }`, or `o` naming tmpfs). A \
                mount with an empty target covers nothing. Short (`pgdata:/data:ro`) and long (`type`, `source`, \
                `target`) syntax are read, sources interpolated with the project's `.env`. A path no service \
                mounts is reported at the `services:` line of the first compose file judged.""",
        rationale = """
                A database, an upload directory or a queue's spool written to the container's own filesystem \
                disappears when the container is recreated, which every image upgrade does. Checklists ask for \
                volumes because this loss is silent until the first deploy after go-live.""",
        remediation = """
                Mount a named volume at the path (`volumes: ["pgdata:/var/lib/postgresql/data"]` with \
                `pgdata:` under the top-level `volumes:`) or bind a host directory that is backed up \
                (`./data/postgres:/var/lib/postgresql/data`).""",
        example = """
                - id: volumes
                  title: Database and uploads survive a container rebuild
                  check: compose.volumes
                  with: { paths: [/var/lib/postgresql/data, /app/uploads] }""",
        references = {"https://docs.docker.com/reference/compose-file/services/#volumes",
                "https://docs.docker.com/engine/storage/volumes/"},
        params = {
            @Param(name = "paths", type = ParamType.STRING_LIST, required = true,
                    description = "Absolute paths inside the containers that hold data which must survive a container being recreated."),
            @Param(name = "files", type = ParamType.STRING_LIST, description = ComposeCheck.FILES_DOC)
        })
public final class VolumesCheck extends ComposeCheck implements Check {

    @Override
    CheckResult judge(CheckContext ctx, ComposeProject project, Judgment j) {
        List<ComposeService> services = j.services(project, false);
        for (String raw : ctx.params().list("paths")) {
            String path = ComposeService.targetPath(raw);
            j.judged();
            List<String> durable = new ArrayList<>();
            boolean covered = false;
            for (ComposeService s : services) {
                for (Mount m : s.mounts()) {
                    if (!m.covers(path)) {
                        continue;
                    }
                    covered = true;
                    String where = s.file() + ": " + s.name() + ": " + path + " on " + m.kind().label()
                            + (m.source() == null ? "" : " " + m.source()) + " at " + m.target() + " (" + ComposeService.where(m.node()) + ")";
                    switch (m.kind()) {
                        case NAMED, BIND -> durable.add(where);
                        case ANONYMOUS -> j.fail("compose.volumes.anonymous", m.node(), s.name() + " keeps " + path
                                + " on an anonymous volume, which docker compose down -v deletes and up -V replaces with an empty one");
                        case TMPFS -> j.fail("compose.volumes.tmpfs", m.node(), s.name() + " keeps " + path
                                + " on tmpfs, which is memory and empty after every restart");
                        case TMPFS_VOLUME -> j.fail("compose.volumes.tmpfs", m.node(), s.name() + " keeps " + path
                                + " on the named volume " + m.source() + ", which is tmpfs (" + m.why()
                                + "): memory, empty after every restart");
                        case OTHER -> j.fail("compose.volumes.not-persistent", m.node(), s.name() + " mounts " + m.target()
                                + " with a mount type that does not keep " + path);
                    }
                }
            }
            if (!covered) {
                ComposeFile first = project.files().getFirst();
                j.add(Finding.fail("compose.volumes.missing", path + " is on no volume or bind mount of any service ("
                        + String.join(", ", project.files().stream().map(ComposeFile::path).toList())
                        + "), so its data is lost when the container is recreated").at(first.path(), first.servicesLine()));
            }
            j.evidence(durable);
        }
        return j.result("every runtime path is on a named volume or bind mount", "no path to judge");
    }

    @Override
    public List<String> validate(Params params) {
        List<String> problems = new ArrayList<>(super.validate(params));
        if (params.list("paths").isEmpty()) {
            problems.add("paths lists nothing");
        }
        for (String p : params.list("paths")) {
            if (!p.startsWith("/")) {
                problems.add("'" + p + "' is not an absolute path inside the container");
            }
        }
        return problems;
    }
}
