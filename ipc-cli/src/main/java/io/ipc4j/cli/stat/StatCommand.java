package io.ipc4j.cli.stat;

import io.ipc4j.IpcException;
import io.ipc4j.cli.Json;
import io.ipc4j.cli.TextTable;
import io.ipc4j.cli.shm.DirectoryOption;
import io.ipc4j.shm.SegmentInfo;
import io.ipc4j.shm.header.SegmentKind;
import io.ipc4j.workerpool.stat.PoolCounter;
import io.ipc4j.workerpool.stat.PoolCounters;
import io.ipc4j.workerpool.stat.PoolSnapshot;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ipc4j stat [POOL] [--watch SECONDS] [--json]}: the live counters of a running worker pool,
 * read from its counters segment ({@code POOL-stat}) by this separate process without disturbing
 * the pool, like Aeron's {@code AeronStat}. Without a name: the pools that have a counters segment.
 */
@Command(name = "stat",
        mixinStandardHelpOptions = true,
        description = {"Show the live counters of a running worker pool (workers alive, restarts, jobs queued / in flight /",
                "done, slab use) and one row per worker (pid, state, heartbeat age, jobs done), read from the pool's",
                "counters segment in shared memory. Without POOL: list the pools found."},
        footer = {"", "JSON (--json): {pool, supervisor_pid, supervisor_alive, state, counters: {...}, workers: [...]}."})
public final class StatCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private DirectoryOption dir;

    @Parameters(index = "0", arity = "0..1", paramLabel = "POOL", description = "The pool's name (see the list without it).")
    private String pool;

    @Option(names = "--watch", paramLabel = "SECONDS",
            description = "Print again every SECONDS seconds until interrupted (or the pool goes away).")
    private Double watch;

    @Option(names = "--json", description = "Print JSON instead of tables.")
    private boolean json;

    /** Created by picocli. */
    public StatCommand() {
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (pool == null) {
            return list(out);
        }
        if (watch != null && !(watch > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--watch must be > 0 seconds");
        }
        try (PoolCounters counters = PoolCounters.open(dir.directory(), pool, Duration.ZERO)) {
            while (true) {
                PoolSnapshot s = counters.snapshot();
                out.print(json ? toJson(s) + "\n" : render(s));
                out.flush();
                if (watch == null || !s.supervisorAlive()) {
                    return 0;
                }
                Thread.sleep((long) (watch * 1000));
                if (!json) {
                    out.println();
                }
            }
        } catch (IpcException e) {
            if (e.reason() == IpcException.Reason.NOT_FOUND) {
                throw new IpcException(IpcException.Reason.NOT_FOUND, "no pool named '" + pool + "' in "
                        + dir.directory().path() + " (no segment " + PoolCounters.segmentName(pool) + "; 'ipc4j stat' lists the pools)");
            }
            throw e;
        }
    }

    private int list(PrintWriter out) {
        List<String> pools = new ArrayList<>();
        for (SegmentInfo i : dir.inventory().list()) {
            if (i.kind().equals(SegmentKind.COUNTERS.label()) && i.fileName().endsWith(PoolCounters.SUFFIX)) {
                String name = i.fileName().substring(0, i.fileName().length() - PoolCounters.SUFFIX.length());
                pools.add(name + (Boolean.FALSE.equals(i.creatorAlive()) ? " (supervisor dead: 'ipc4j shm gc' removes it)" : ""));
            }
        }
        if (json) {
            out.println(Json.write(pools));
        } else if (pools.isEmpty()) {
            out.println("no worker pools in " + dir.directory().path());
        } else {
            pools.forEach(out::println);
        }
        out.flush();
        return 0;
    }

    static String render(PoolSnapshot s) {
        long now = System.currentTimeMillis();
        StringBuilder sb = new StringBuilder();
        sb.append("pool ").append(s.name()).append(": ").append(s.state().name().toLowerCase(java.util.Locale.ROOT))
                .append(", supervisor pid ").append(s.supervisorPid()).append(s.supervisorAlive() ? "" : " (dead)")
                .append(", up ").append(Duration.ofMillis(Math.max(0, now - s.startedAtMillis())).toSeconds()).append(" s\n");
        TextTable counters = new TextTable("COUNTER", "VALUE").rightAlign(1);
        for (PoolCounter c : PoolCounter.values()) {
            counters.row(c.label(), s.get(c));
        }
        sb.append(counters.render());
        TextTable workers = new TextTable("WORKER", "PID", "STATE", "STARTS", "HEARTBEAT AGE", "JOBS DONE").rightAlign(0, 1, 3, 4, 5);
        for (PoolSnapshot.WorkerRow w : s.workers()) {
            workers.row(w.index(), w.pid() == 0 ? "-" : w.pid(), w.state().name().toLowerCase(java.util.Locale.ROOT),
                    w.incarnation(), w.heartbeatMillis() == 0 ? "-" : (now - w.heartbeatMillis()) + " ms", w.jobsDone());
        }
        sb.append(workers.render());
        return sb.toString();
    }

    static String toJson(PoolSnapshot s) {
        Map<String, Object> counters = new LinkedHashMap<>();
        for (PoolCounter c : PoolCounter.values()) {
            counters.put(c.name().toLowerCase(java.util.Locale.ROOT), s.get(c));
        }
        Json c = Json.object();
        counters.forEach(c::put);
        List<Json> workers = new ArrayList<>();
        for (PoolSnapshot.WorkerRow w : s.workers()) {
            workers.add(Json.object().put("index", w.index()).put("pid", w.pid())
                    .put("state", w.state().name().toLowerCase(java.util.Locale.ROOT)).put("starts", w.incarnation())
                    .put("heartbeat_millis", w.heartbeatMillis()).put("jobs_done", w.jobsDone()));
        }
        return Json.object().put("pool", s.name()).put("supervisor_pid", s.supervisorPid())
                .put("supervisor_alive", s.supervisorAlive()).put("state", s.state().name().toLowerCase(java.util.Locale.ROOT))
                .put("counters", c).put("workers", workers).toString();
    }
}
