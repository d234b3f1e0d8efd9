package io.ipc4j.cli.shm;

import io.ipc4j.IpcException;
import io.ipc4j.cli.Json;
import io.ipc4j.cli.TextTable;
import io.ipc4j.shm.Bytes;
import io.ipc4j.shm.SegmentInfo;
import io.ipc4j.shm.SegmentInventory;
import io.ipc4j.shm.SegmentName;
import io.ipc4j.shm.SharedSegment;
import io.ipc4j.shm.ShmDirectory;
import io.ipc4j.shm.header.DescriptorHeader;
import io.ipc4j.shm.header.HeaderFields;
import io.ipc4j.tensor.store.HeaderLimits;
import io.ipc4j.tensor.store.SafetensorsHeader;
import io.ipc4j.tensor.store.TensorStore;
import io.ipc4j.tensor.store.TensorStoreProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ipc4j shm inspect NAME [--dir DIR] [--json]}: one segment in detail.
 *
 * <ul>
 *   <li>A tensor store is opened read-only ({@link TensorStore#open(ShmDirectory, String, boolean, HeaderLimits)}):
 *       owner (creator pid, alive, lifetime), header length, data offset, size, one row per tensor
 *       (name, dtype, shape, bytes, {@code [begin, end)} data offsets, aligned) and the metadata that
 *       is not ipc4j's ownership record. A store that fails validation is an error naming the problem.</li>
 *   <li>A segment with a descriptor header shows every header field ({@link DescriptorHeader#read}).</li>
 *   <li>Anything else (temporary names, foreign files) shows what the inventory probes say.</li>
 * </ul>
 */
@Command(name = "inspect",
        mixinStandardHelpOptions = true,
        description = {"Show one segment in detail: a tensor store's owner, layout and tensors; a descriptor header's fields;",
                "or what ipc4j can tell about any other file."})
public final class ShmInspectCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private DirectoryOption dir;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    private boolean json;

    @Parameters(paramLabel = "NAME", description = "File name in the shared-memory directory (as 'ipc4j shm ls' shows it).")
    private String name;

    /** Created by picocli. */
    public ShmInspectCommand() {
    }

    @Override
    public Integer call() {
        SegmentInventory inventory = dir.inventory();
        ShmDirectory directory = inventory.directory();
        SegmentInfo info = inventory.inspect(name).orElseThrow(() -> new IpcException(IpcException.Reason.NOT_FOUND,
                "no segment '" + name + "' in " + directory.path()));
        PrintWriter out = spec.commandLine().getOut();
        if (TensorStoreProbe.KIND.equals(info.kind())) {
            tensorStore(directory, info, out);
        } else if (!SegmentRows.isForeign(info) && !SegmentInfo.TEMPORARY.equals(info.kind())
                && SegmentName.isValid(name)) {
            Optional<HeaderFields> h = readDescriptor(directory);
            if (h.isPresent()) {
                descriptor(directory, info, h.get(), out);
            } else {
                other(directory, info, out);
            }
        } else {
            other(directory, info, out);
        }
        out.flush();
        return 0;
    }

    // ------------------------------------------------------------------------------------------
    // tensor stores

    private void tensorStore(ShmDirectory directory, SegmentInfo info, PrintWriter out) {
        try (TensorStore store = TensorStore.open(directory, name, true, HeaderLimits.DEFAULT)) {
            SafetensorsHeader h = store.header();
            Map<String, String> md = store.metadata();
            String lifetime = md.get(TensorStore.META_LIFETIME);
            Map<String, String> other = new LinkedHashMap<>();
            md.forEach((k, v) -> {
                if (!k.startsWith(TensorStore.RESERVED_PREFIX)) {
                    other.put(k, v);
                }
            });
            if (json) {
                List<Json> tensors = new ArrayList<>();
                for (SafetensorsHeader.Entry e : h.entries()) {
                    tensors.add(Json.object().put("name", e.name()).put("dtype", e.dtype().name())
                            .put("shape", e.shape()).put("bytes", e.byteSize())
                            .put("begin", e.begin()).put("end", e.end())
                            .put("aligned", e.isAligned(h.dataOffset())));
                }
                out.println(Json.object()
                        .put("name", name).put("kind", TensorStoreProbe.KIND).put("directory", directory.path().toString())
                        .put("size", store.size()).put("header_length", h.headerLength())
                        .put("data_offset", h.dataOffset()).put("data_size", h.dataSize())
                        .put("creator_pid", info.creatorPid() > 0 ? info.creatorPid() : null)
                        .put("creator_alive", info.creatorAlive()).put("lifetime", lifetime)
                        .put("persistent", info.persistent())
                        .put("tensors", tensors).put("metadata", other));
                return;
            }
            out.println("tensor store '" + name + "' in " + directory.path());
            field(out, "size", Bytes.format(store.size()) + " (" + store.size() + " bytes)");
            field(out, "creator", owner(info, md));
            field(out, "lifetime", lifetime == null ? "unknown (no ipc4j metadata): gc leaves it alone"
                    : lifetime + (TensorStore.LIFETIME_PERSISTENT.equals(lifetime)
                    ? " (stays until removed)" : " (removed when its creator closes it or dies)"));
            field(out, "header", h.headerLength() + " bytes after the 8-byte length field");
            field(out, "data", "offset " + h.dataOffset() + (h.dataOffset() % 64 == 0 ? " (64-byte aligned)" : "")
                    + ", " + Bytes.format(h.dataSize()) + " (" + h.dataSize() + " bytes)");
            field(out, "tensors", h.entries().size() + (h.isAligned() ? ", all naturally aligned" : ", NOT all aligned"));
            if (!h.entries().isEmpty()) {
                out.println();
                TextTable t = new TextTable("TENSOR", "DTYPE", "SHAPE", "BYTES", "BEGIN", "END", "ALIGNED")
                        .rightAlign(3, 4, 5);
                for (SafetensorsHeader.Entry e : h.entries()) {
                    t.row(e.name(), e.dtype().name(), Arrays.toString(e.shape()), Bytes.format(e.byteSize()),
                            e.begin(), e.end(), e.isAligned(h.dataOffset()) ? "yes" : "no");
                }
                out.print(t.render());
                out.println("(BEGIN/END: [begin, end) relative to the data area at offset " + h.dataOffset() + ")");
            }
            if (!other.isEmpty()) {
                out.println();
                out.println("metadata");
                other.forEach((k, v) -> out.println("  " + k + " = " + oneLine(v)));
            }
        }
    }

    private static String owner(SegmentInfo info, Map<String, String> md) {
        String pid = md.get(TensorStore.META_CREATOR_PID);
        if (pid == null) {
            return "unknown (not written by ipc4j)";
        }
        String start = md.get(TensorStore.META_CREATOR_START);
        return "pid " + pid + (start == null ? "" : " (started at tick " + start + ")") + ", " + aliveText(info.creatorAlive());
    }

    // ------------------------------------------------------------------------------------------
    // descriptor-header segments

    private Optional<HeaderFields> readDescriptor(ShmDirectory directory) {
        try (SharedSegment seg = SharedSegment.open(directory, name, true)) {
            if (!DescriptorHeader.hasMagic(seg.memory()) || seg.size() < DescriptorHeader.LENGTH) {
                return Optional.empty();
            }
            return Optional.of(DescriptorHeader.read(seg.memory()));
        } catch (IpcException e) {
            return Optional.empty(); // vanished or unreadable: show what the probe said
        }
    }

    private void descriptor(ShmDirectory directory, SegmentInfo info, HeaderFields h, PrintWriter out) {
        Optional<String> problem = h.hasSupportedVersion() ? h.sizeProblem(info.size())
                : Optional.of("layout version " + h.layoutVersion() + " (this ipc4j reads version "
                + DescriptorHeader.LAYOUT_VERSION + "): the other fields may mean something else");
        Boolean alive = h.creatorAlive().orElse(null);
        if (json) {
            out.println(Json.object()
                    .put("name", name).put("kind", h.kindLabel()).put("directory", directory.path().toString())
                    .put("size", info.size()).put("magic", DescriptorHeader.describeMagic(h.magic()))
                    .put("layout_version", h.layoutVersion()).put("kind_code", h.kindCode())
                    .put("creator_pid", h.creatorPid()).put("creator_start_ticks", h.creatorStartTicks())
                    .put("creator_alive", alive).put("persistent", h.isPersistent()).put("ready", h.isReady())
                    .put("ready_word", h.readyWord()).put("created_at", h.creationTime().toString())
                    .put("header_length", h.headerLength()).put("payload_length", h.payloadLength())
                    .put("payload_version", h.payloadVersion()).put("problem", problem.orElse(null))
                    .put("leftover", info.isLeftover()));
            return;
        }
        out.println("segment '" + name + "' in " + directory.path() + ": " + h.kindLabel() + " (descriptor header)");
        field(out, "magic", DescriptorHeader.describeMagic(h.magic()));
        field(out, "version", h.layoutVersion() + (h.hasSupportedVersion() ? "" : " (UNSUPPORTED)"));
        field(out, "kind", h.kindLabel() + " (code " + h.kindCode() + ")");
        field(out, "creator", "pid " + h.creatorPid() + " (started at tick " + h.creatorStartTicks() + "), "
                + aliveText(alive));
        field(out, "persistent", h.isPersistent() ? "yes" : "no");
        field(out, "ready", h.isReady() ? "yes" : h.readyWord() == DescriptorHeader.NOT_READY ? "no"
                : "ready word " + h.readyWord() + " (corrupt)");
        field(out, "created at", h.creationTime().toString());
        field(out, "header", h.headerLength() + " bytes");
        field(out, "payload", Bytes.format(h.payloadLength()) + " (" + h.payloadLength() + " bytes), payload version "
                + h.payloadVersion());
        field(out, "size", Bytes.format(info.size()) + " (" + info.size() + " bytes)");
        problem.ifPresent(p -> field(out, "PROBLEM", p));
        if (info.isLeftover()) {
            field(out, "leftover", "yes: its creator is gone; 'ipc4j shm gc' removes it");
        }
    }

    // ------------------------------------------------------------------------------------------
    // anything else

    private void other(ShmDirectory directory, SegmentInfo info, PrintWriter out) {
        if (json) {
            out.println(SegmentRows.json(info).put("directory", directory.path().toString()));
            return;
        }
        out.println("'" + name + "' in " + directory.path() + ": " + info.kind()
                + (SegmentRows.isForeign(info) ? " (not made by ipc4j; gc never removes it)" : ""));
        field(out, "size", Bytes.format(info.size()) + " (" + info.size() + " bytes)");
        field(out, "creator", info.creatorPid() > 0 ? "pid " + info.creatorPid() + ", " + aliveText(info.creatorAlive()) : "-");
        field(out, "persistent", SegmentRows.persistent(info));
        field(out, "detail", info.detail());
        if (info.isLeftover()) {
            field(out, "leftover", "yes: 'ipc4j shm gc' removes it");
        }
    }

    private static String aliveText(Boolean alive) {
        return alive == null ? "state unknown" : alive ? "alive" : "dead";
    }

    private static void field(PrintWriter out, String label, String value) {
        out.println(String.format(Locale.ROOT, "  %-11s %s", label, value));
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\R", "\\\\n");
    }
}
