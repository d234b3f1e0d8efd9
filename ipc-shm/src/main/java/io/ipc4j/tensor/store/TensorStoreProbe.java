package io.ipc4j.tensor.store;

import io.ipc4j.IpcException;
import io.ipc4j.process.ProcessIdentity;
import io.ipc4j.shm.Bytes;
import io.ipc4j.shm.SegmentInfo;
import io.ipc4j.shm.SegmentProbe;
import io.ipc4j.tensor.DType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Recognises tensor stores (any safetensors file, whoever wrote it) when listing a shared-memory
 * directory. A file is taken for a safetensors file when its length field is sane (1 to the limit,
 * within the file) and its header starts with <code>'&#123;'</code>; it then reports kind
 * {@value #KIND} and either a summary such as {@code "3 tensors, F32/BF16, header 448 B, 1.0 GiB"}
 * or {@code "corrupt: <reason>"}. Ownership comes from the {@code ipc4j.*} metadata; a store
 * without it (written by Python, say) has an unknown creator and counts as persistent, so garbage
 * collection leaves it alone. Never throws.
 */
public final class TensorStoreProbe implements SegmentProbe {
    /** The kind this probe reports. */
    public static final String KIND = "tensor-store";

    private final HeaderLimits limits;

    /** A probe with {@link HeaderLimits#DEFAULT}. */
    public TensorStoreProbe() {
        this(HeaderLimits.DEFAULT);
    }

    /**
     * @param limits the header bounds to apply
     */
    public TensorStoreProbe(HeaderLimits limits) {
        this.limits = limits;
    }

    @Override
    public Optional<SegmentInfo> probe(String fileName, MemorySegment memory) {
        try {
            long size = memory.byteSize();
            if (size < SafetensorsHeader.LENGTH_FIELD_BYTES + 2) {
                return Optional.empty();
            }
            long n = memory.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
            if (n < 2 || n > limits.maxHeaderBytes() || n > size - SafetensorsHeader.LENGTH_FIELD_BYTES
                    || memory.get(ValueLayout.JAVA_BYTE, SafetensorsHeader.LENGTH_FIELD_BYTES) != '{') {
                return Optional.empty();
            }
            SafetensorsHeader h;
            try {
                h = SafetensorsHeader.parse(memory, limits);
            } catch (IpcException e) {
                return Optional.of(new SegmentInfo(fileName, KIND, size, -1, null, true, "corrupt: " + e.getMessage()));
            }
            return Optional.of(describe(fileName, size, h));
        } catch (RuntimeException e) {
            // e.g. memory already unmapped: never let a probe escape
            return Optional.of(new SegmentInfo(fileName, KIND, memory.byteSize(), -1, null, true,
                    "unreadable: " + e));
        }
    }

    private static SegmentInfo describe(String fileName, long size, SafetensorsHeader h) {
        Map<String, String> md = h.metadata();
        long pid = -1;
        Boolean alive = null;
        boolean persistent = true;
        String problem = "";
        String pidText = md.get(TensorStore.META_CREATOR_PID);
        if (pidText != null) {
            try {
                pid = Long.parseLong(pidText);
                String start = md.get(TensorStore.META_CREATOR_START);
                if (start != null) {
                    alive = new ProcessIdentity(pid, Long.parseLong(start)).isAlive();
                }
                persistent = !TensorStore.LIFETIME_OWNER.equals(md.get(TensorStore.META_LIFETIME));
            } catch (NumberFormatException e) {
                pid = -1;
                alive = null;
                persistent = true;
                problem = ", bad ipc4j metadata";
            }
        }
        EnumSet<DType> dtypes = EnumSet.noneOf(DType.class);
        h.entries().forEach(e -> dtypes.add(e.dtype()));
        int count = h.entries().size();
        String detail = count + (count == 1 ? " tensor" : " tensors")
                + (dtypes.isEmpty() ? "" : ", " + dtypes.stream().map(Enum::name).collect(Collectors.joining("/")))
                + ", header " + Bytes.format(h.headerLength()) + ", data " + Bytes.format(h.dataSize())
                + (h.isAligned() ? "" : ", unaligned")
                + (pidText == null ? ", no ipc4j metadata" : ", " + md.getOrDefault(TensorStore.META_LIFETIME, "?"))
                + problem;
        return new SegmentInfo(fileName, KIND, size, pid, alive, persistent, detail);
    }
}
