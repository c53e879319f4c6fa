package dev.airworthy.checks.svc;

import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Param;
import dev.airworthy.check.ParamType;
import dev.airworthy.check.Params;
import dev.airworthy.check.Severity;
import java.util.ArrayList;
import java.util.List;

@AutoService(Check.class)
@CheckInfo(
        id = "svc.tcp",
        title = "TCP port reachable",
        category = Category.DEPENDENCIES,
        severity = Severity.HIGH,
        summary = """
                Opens a TCP connection to `host`:`port` from where airworthy runs, within the item's \
                deadline, and closes it without sending anything. It passes when the connection is \
                accepted (the time to connect is the `connect_ms` metric). It fails when the name does \
                not resolve (or the lookup does not finish before the deadline), when nothing listens \
                (connection refused), when no answer comes before the deadline (a firewall dropping \
                packets, or the host is down) or when the network has no route there. A host name with \
                several addresses passes when any of them accepts: each is tried in turn with an equal \
                share of the time left (at least 250 ms), so one that drops packets does not use up the \
                time of the next. It \
                proves only that something listens: use `svc.postgres` or `svc.redis` to prove the \
                service answers.""",
        rationale = """
                A service that cannot reach its database, cache, broker or mail relay fails at the first \
                request that needs it, usually long after the deploy that broke the route: a security \
                group that was never opened, a service name that only resolves in another network, a \
                port that changed. Checking each dependency from the service's network turns that into \
                a go-live finding.""",
        remediation = """
                Run airworthy from the same network as the service (the same VPC, cluster or container \
                network). "cannot resolve host": use the name the service uses, and check the DNS or \
                service discovery of that network. "nothing listens": the dependency is down or listens \
                on another port or interface (`bind 127.0.0.1` only accepts local clients). "no answer \
                within": a firewall or security group drops the packets; allow the port from the \
                service's addresses, e.g. `aws ec2 authorize-security-group-ingress --group-id sg-db \
                --protocol tcp --port 5432 --source-group sg-app`.""",
        example = """
                - id: smtp-reachable
                  title: The mail relay accepts connections
                  check: svc.tcp
                  with: { host: smtp.internal, port: 587 }
                  timeout: 5s""",
        references = {"https://datatracker.ietf.org/doc/html/rfc9293",
            "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html"},
        params = {
            @Param(name = "host", required = true, description = "Host name or IP address of the dependency, as the service reaches it."),
            @Param(name = "port", type = ParamType.INTEGER, required = true, description = "TCP port (1-65535).")
        })
public final class TcpCheck implements Check {

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        Params p = ctx.params();
        String host = Dial.bare(p.string("host"));
        int port = (int) p.integer("port");
        Outcome out = new Outcome();
        try (Dial.Connected c = Dial.connect(host, port, Dial.budget(ctx), out)) {
            String address = Dial.address(c.socket().getInetAddress());
            return out.result("connected to " + Dial.where(host, port)
                    + (address.equals(host) || address.equals("[" + host + "]") ? "" : " (" + address + ")")
                    + " in " + Dial.Numbers.ms(c.ms()) + " ms");
        } catch (Dial.Unreachable e) {
            out.fail("svc.tcp." + e.reason().rule(), e.getMessage());
            return out.result("");
        }
    }

    @Override
    public List<String> validate(Params p) {
        List<String> problems = new ArrayList<>(Dial.hostProblems("host", p.string("host")));
        problems.addAll(Dial.portProblems("port", p.integer("port")));
        return problems;
    }
}
