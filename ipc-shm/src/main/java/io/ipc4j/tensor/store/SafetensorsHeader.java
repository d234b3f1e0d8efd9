package io.ipc4j.tensor.store;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.tensor.DType;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated safetensors header: where the data starts and, for every tensor, its dtype, shape
 * and byte range. Parsing treats every byte as hostile and checks, each failure being an
 * {@link IpcException} whose message names the tensor and the rule broken:
 *
 * <ul>
 *   <li>the length field: the file holds at least 8 bytes ({@code TRUNCATED}); the header length
 *       is not 0 ({@code CORRUPT}), not above {@link HeaderLimits#maxHeaderBytes()}
 *       ({@code TOO_LARGE}) and not beyond the file ({@code TRUNCATED});</li>
 *   <li>the JSON: strict RFC 8259, valid UTF-8, no duplicate keys, within the limits, nothing but
 *       whitespace after it ({@code CORRUPT} / {@code TOO_LARGE});</li>
 *   <li>each tensor: an object with exactly {@code dtype}, {@code shape}, {@code data_offsets}; a
 *       known dtype ({@code UNSUPPORTED} otherwise); dimensions non-negative integers whose
 *       product times the dtype size fits 63 bits; offsets two non-negative integers with
 *       begin &le; end, end within the data area ({@code TRUNCATED} otherwise), and
 *       end &minus; begin equal to the tensor's byte length;</li>
 *   <li>all tensors together: sorted by offset their ranges are disjoint and contiguous and cover
 *       the data area exactly, as the safetensors reference implementation requires (a gap, an
 *       overlap or uncovered trailing bytes are {@code CORRUPT});</li>
 *   <li>{@code __metadata__}: an object of string values.</li>
 * </ul>
 *
 * Alignment is not required (other writers may not align); see {@link Entry#isAligned(long)}.
 */
public final class SafetensorsHeader {
    /** Bytes of the little-endian header-length field at the start of the file. */
    public static final int LENGTH_FIELD_BYTES = 8;
    /** The key of the optional string-to-string metadata object. */
    public static final String METADATA_KEY = "__metadata__";

    /**
     * One tensor as the header describes it.
     *
     * @param name  its name
     * @param dtype its element type
     * @param shape its dimensions (a copy is returned by {@link #shape()})
     * @param begin first byte, relative to the data area
     * @param end   one past the last byte, relative to the data area
     */
    public record Entry(String name, DType dtype, long[] shape, long begin, long end) {
        /**
         * @param name  its name
         * @param dtype its element type
         * @param shape its dimensions
         * @param begin first byte relative to the data area
         * @param end   end byte relative to the data area
         */
        public Entry {
            shape = shape.clone();
        }

        /** @return a copy of the dimensions */
        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** @return {@code end - begin} */
        public long byteSize() {
            return end - begin;
        }

        /**
         * @param dataOffset the file offset of the data area
         * @return true when the tensor's first byte sits at a multiple of its dtype size
         */
        public boolean isAligned(long dataOffset) {
            return (dataOffset + begin) % dtype.byteSize() == 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && name.equals(e.name) && dtype == e.dtype && Arrays.equals(shape, e.shape)
                    && begin == e.begin && end == e.end;
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Long.hashCode(begin);
        }

        @Override
        public String toString() {
            return name + ": " + dtype + Arrays.toString(shape) + " [" + begin + ", " + end + ")";
        }
    }

    private final long headerLength;
    private final long fileSize;
    private final List<Entry> entries;
    private final Map<String, Entry> byName;
    private final Map<String, String> metadata;

    private SafetensorsHeader(long headerLength, long fileSize, List<Entry> entries, Map<String, String> metadata) {
        this.headerLength = headerLength;
        this.fileSize = fileSize;
        this.entries = List.copyOf(entries);
        LinkedHashMap<String, Entry> m = new LinkedHashMap<>();
        for (Entry e : entries) {
            m.put(e.name(), e);
        }
        this.byName = Collections.unmodifiableMap(m);
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /**
     * Parses the header of a whole safetensors file held in memory. Only the first
     * {@code 8 + N} bytes are read (no data page is touched).
     *
     * @param file   the whole file's bytes (its size is the file size)
     * @param limits the bounds
     * @return the validated header
     * @throws IpcException CORRUPT, TRUNCATED, TOO_LARGE or UNSUPPORTED saying which rule broke
     */
    public static SafetensorsHeader parse(MemorySegment file, HeaderLimits limits) {
        long size = file.byteSize();
        if (size < LENGTH_FIELD_BYTES) {
            throw new IpcException(Reason.TRUNCATED, "file is " + size
                    + " bytes, shorter than the 8-byte header-length field");
        }
        long n = file.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        int len = checkLength(n, size, limits);
        byte[] json = new byte[len];
        MemorySegment.copy(file, ValueLayout.JAVA_BYTE, LENGTH_FIELD_BYTES, json, 0, len);
        return fromJson(json, size, limits);
    }

    /**
     * Reads and parses the header of a safetensors file through a channel: just the length field
     * and the header, never the data.
     *
     * @param file   an open file (its size is taken as the file size)
     * @param limits the bounds
     * @return the validated header
     * @throws IpcException CORRUPT, TRUNCATED, TOO_LARGE, UNSUPPORTED, or OS_ERROR on an I/O error
     */
    public static SafetensorsHeader read(FileChannel file, HeaderLimits limits) {
        try {
            long size = file.size();
            if (size < LENGTH_FIELD_BYTES) {
                throw new IpcException(Reason.TRUNCATED, "file is " + size
                        + " bytes, shorter than the 8-byte header-length field");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(LENGTH_FIELD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            readFully(file, lenBuf, 0);
            int len = checkLength(lenBuf.getLong(0), size, limits);
            ByteBuffer json = ByteBuffer.allocate(len);
            readFully(file, json, LENGTH_FIELD_BYTES);
            return fromJson(json.array(), size, limits);
        } catch (IOException e) {
            throw new IpcException(Reason.OS_ERROR, "read safetensors header: " + e.getMessage(), e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, position + buf.position());
            if (r < 0) {
                throw new IpcException(Reason.TRUNCATED, "file ended at byte " + (position + buf.position())
                        + " inside the header (it shrank while being read)");
            }
        }
    }

    /** Checks the length field's value (unsigned) against the limits and the file size. */
    private static int checkLength(long n, long fileSize, HeaderLimits limits) {
        if (n == 0) {
            throw new IpcException(Reason.CORRUPT, "header length is 0: a safetensors header holds at least '{}'");
        }
        if (n < 0 || n > limits.maxHeaderBytes()) {
            throw new IpcException(Reason.TOO_LARGE, "header length " + Long.toUnsignedString(n)
                    + " exceeds the limit of " + limits.maxHeaderBytes() + " bytes (maxHeaderBytes)");
        }
        if (n > fileSize - LENGTH_FIELD_BYTES) {
            throw new IpcException(Reason.TRUNCATED, "header length " + n + " exceeds the "
                    + (fileSize - LENGTH_FIELD_BYTES) + " bytes that follow the length field (file of " + fileSize + " bytes)");
        }
        return (int) n;
    }

    private static SafetensorsHeader fromJson(byte[] json, long fileSize, HeaderLimits limits) {
        Object root = StrictJson.parse(json, json.length, limits);
        if (!(root instanceof Map<?, ?> top)) {
            throw new IpcException(Reason.CORRUPT, "header JSON is " + kind(root) + ", not an object");
        }
        long dataOffset = LENGTH_FIELD_BYTES + (long) json.length;
        long dataSize = fileSize - dataOffset;
        Map<String, String> metadata = Map.of();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> m : top.entrySet()) {
            String name = (String) m.getKey();
            if (METADATA_KEY.equals(name)) {
                metadata = metadata(m.getValue());
                continue;
            }
            if (entries.size() >= limits.maxTensors()) {
                throw new IpcException(Reason.TOO_LARGE, "header has more than " + limits.maxTensors()
                        + " tensors (maxTensors)");
            }
            entries.add(entry(name, m.getValue(), dataSize));
        }
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.begin() < expected) {
                throw new IpcException(Reason.CORRUPT, "tensor " + quote(e.name()) + ": data_offsets [" + e.begin() + ", "
                        + e.end() + ") overlap tensor " + quote(previous.name()) + " [" + previous.begin() + ", "
                        + previous.end() + "): tensor ranges must be disjoint");
            }
            if (e.begin() > expected) {
                throw new IpcException(Reason.CORRUPT, "tensor " + quote(e.name()) + ": data_offsets begin " + e.begin()
                        + " leaves a gap of " + (e.begin() - expected) + " bytes after "
                        + (previous == null ? "the start of the data area" : "tensor " + quote(previous.name()))
                        + ": tensor ranges must be contiguous");
            }
            expected = e.end();
            previous = e;
        }
        if (expected != dataSize) {
            throw new IpcException(Reason.CORRUPT, "the data area holds " + dataSize + " bytes but the tensors cover only "
                    + expected + (previous == null ? " (there are no tensors)" : " (the last is " + quote(previous.name()) + ")")
                    + ": tensors must cover the data area exactly");
        }
        return new SafetensorsHeader(json.length, fileSize, sorted, metadata);
    }

    private static Map<String, String> metadata(Object v) {
        if (!(v instanceof Map<?, ?> map)) {
            throw new IpcException(Reason.CORRUPT, METADATA_KEY + " is " + kind(v) + ", not an object of strings");
        }
        LinkedHashMap<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new IpcException(Reason.CORRUPT, METADATA_KEY + " value of " + quote((String) e.getKey()) + " is "
                        + kind(e.getValue()) + ": metadata values must be strings");
            }
            out.put((String) e.getKey(), s);
        }
        return out;
    }

    private static Entry entry(String name, Object v, long dataSize) {
        if (!(v instanceof Map<?, ?> info)) {
            throw new IpcException(Reason.CORRUPT, tensor(name) + "its description is " + kind(v)
                    + ", not an object with dtype, shape and data_offsets");
        }
        for (Object k : info.keySet()) {
            if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
                throw new IpcException(Reason.CORRUPT, tensor(name) + "unknown key " + quote((String) k)
                        + " (allowed: dtype, shape, data_offsets)");
            }
        }
        Object dt = require(info, "dtype", name);
        if (!(dt instanceof String dtName)) {
            throw new IpcException(Reason.CORRUPT, tensor(name) + "dtype is " + kind(dt) + ", not a string");
        }
        DType dtype = null;
        for (DType d : DType.values()) {
            if (d.name().equals(dtName)) {
                dtype = d;
            }
        }
        if (dtype == null) {
            throw new IpcException(Reason.UNSUPPORTED, tensor(name) + "unknown dtype " + quote(dtName) + " (supported: "
                    + Arrays.toString(DType.values()) + ")");
        }
        long[] shape = longs(require(info, "shape", name), name, "shape", -1);
        long[] offsets = longs(require(info, "data_offsets", name), name, "data_offsets", 2);
        long count = 1;
        for (long d : shape) {
            count = multiply(count, d, name, dtype, shape);
        }
        long bytes = multiply(count, dtype.byteSize(), name, dtype, shape);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw new IpcException(Reason.CORRUPT, tensor(name) + "data_offsets [" + begin + ", " + end
                    + "] are reversed: begin must not exceed end");
        }
        if (end > dataSize) {
            throw new IpcException(Reason.TRUNCATED, tensor(name) + "data_offsets end " + end + " lies beyond the data area of "
                    + dataSize + " bytes (file truncated?)");
        }
        if (end - begin != bytes) {
            throw new IpcException(Reason.CORRUPT, tensor(name) + "data_offsets [" + begin + ", " + end + "] span " + (end - begin)
                    + " bytes but " + dtype + Arrays.toString(shape) + " needs " + bytes);
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static String tensor(String name) {
        return "tensor " + quote(name) + ": ";
    }

    private static long multiply(long a, long b, String name, DType dtype, long[] shape) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new IpcException(Reason.CORRUPT, tensor(name) + "byte length of " + dtype + Arrays.toString(shape)
                    + " overflows 64 bits");
        }
    }

    private static Object require(Map<?, ?> info, String key, String name) {
        Object v = info.get(key);
        if (v == null) {
            throw new IpcException(Reason.CORRUPT, tensor(name) + "missing " + key);
        }
        return v;
    }

    /** A list of non-negative long integers, of the given length (or any when -1). */
    private static long[] longs(Object v, String name, String field, int exactLength) {
        if (!(v instanceof List<?> list)) {
            throw new IpcException(Reason.CORRUPT, tensor(name) + field + " is " + kind(v) + ", not an array of integers");
        }
        if (exactLength >= 0 && list.size() != exactLength) {
            throw new IpcException(Reason.CORRUPT, tensor(name) + field + " has " + list.size() + " elements, expected " + exactLength);
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object x = list.get(i);
            if (!(x instanceof Long l)) {
                throw new IpcException(Reason.CORRUPT, tensor(name) + field + "[" + i + "] is " + kind(x)
                        + ": must be a non-negative integer within 64-bit range");
            }
            out[i] = l;
        }
        return out;
    }

    static String kind(Object v) {
        if (v instanceof Map<?, ?>) {
            return "an object";
        }
        if (v instanceof List<?>) {
            return "an array";
        }
        if (v instanceof String s) {
            return "the string " + quote(s);
        }
        if (v instanceof Long || v instanceof StrictJson.OtherNumber) {
            return "the number " + v;
        }
        if (v instanceof Boolean) {
            return "the boolean " + v;
        }
        return "null";
    }

    /**
     * Quotes a name for an error message: at most 80 characters, control characters escaped.
     *
     * @param s a name from hostile input
     * @return it, quoted and shortened
     */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("'");
        int n = Math.min(s.length(), 80);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (s.length() > n) {
            sb.append("...");
        }
        return sb.append('\'').toString();
    }

    /** @return the value of the length field: bytes of JSON header (including padding) */
    public long headerLength() {
        return headerLength;
    }

    /** @return the file offset where the data area starts: {@code 8 + headerLength()} */
    public long dataOffset() {
        return LENGTH_FIELD_BYTES + headerLength;
    }

    /** @return bytes of the data area */
    public long dataSize() {
        return fileSize - dataOffset();
    }

    /** @return bytes of the whole file */
    public long fileSize() {
        return fileSize;
    }

    /** @return the tensors in data order (ascending offsets) */
    public List<Entry> entries() {
        return entries;
    }

    /**
     * @param name a tensor name
     * @return its entry, if there is one
     */
    public Optional<Entry> entry(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** @return the {@code __metadata__} pairs in header order (empty when absent) */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** @return true when the data area and every tensor are naturally aligned */
    public boolean isAligned() {
        for (Entry e : entries) {
            if (!e.isAligned(dataOffset())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "SafetensorsHeader[" + entries.size() + " tensors, header " + headerLength + " B, data at "
                + dataOffset() + ", " + dataSize() + " B]";
    }
}
