package io.ipc4j.tensor.store;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.tensor.DType;
import io.ipc4j.tensor.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Writes safetensors headers. The layout it produces:
 *
 * <pre>
 *  offset 0            : N, u64 little-endian
 *  offset 8            : {"__metadata__":{...},"t0":{"dtype":..,"shape":[..],"data_offsets":[b,e]},...}
 *  offset 8+len(json)  : spaces (0x20) up to 8+N, chosen so 8+N is a multiple of {@value #DATA_ALIGNMENT}
 *  offset 8+N          : the data area; tensors back to back in descending dtype size, so each
 *                        begins at a multiple of its dtype size (no gaps: readers require contiguity)
 * </pre>
 */
final class HeaderWriter {
    /** The file offset of the data area is a multiple of this (a cache line; more than any dtype needs). */
    static final int DATA_ALIGNMENT = 64;

    private HeaderWriter() {
    }

    /** What the builder asks for: a tensor with a name, dtype and shape. */
    record Spec(String name, DType dtype, long[] shape) {
    }

    /**
     * Lays tensors out: stable order by descending dtype size, offsets back to back.
     *
     * @param specs the tensors in the order added
     * @return their entries in data order
     */
    static List<SafetensorsHeader.Entry> layout(List<Spec> specs) {
        List<Spec> ordered = new ArrayList<>(specs);
        ordered.sort(Comparator.comparingInt((Spec s) -> s.dtype().byteSize()).reversed());
        List<SafetensorsHeader.Entry> out = new ArrayList<>(ordered.size());
        long offset = 0;
        for (Spec s : ordered) {
            long bytes = Tensor.byteSize(s.dtype(), s.shape());
            long end;
            try {
                end = Math.addExact(offset, bytes);
            } catch (ArithmeticException e) {
                throw new IpcException(Reason.INVALID_ARGUMENT, "tensor store data exceeds 2^63 bytes at tensor '"
                        + s.name() + "'");
            }
            out.add(new SafetensorsHeader.Entry(s.name(), s.dtype(), s.shape(), offset, end));
            offset = end;
        }
        return out;
    }

    /**
     * Encodes a header for entries whose offsets are already fixed.
     *
     * @param entries  the tensors, written in this order
     * @param metadata string pairs for {@code __metadata__} (omitted when empty)
     * @return the length field, the JSON and its padding: the first {@code 8 + N} bytes of the file
     */
    static byte[] encode(List<SafetensorsHeader.Entry> entries, Map<String, String> metadata) {
        StringBuilder sb = new StringBuilder(64 + entries.size() * 96);
        sb.append('{');
        boolean first = true;
        if (!metadata.isEmpty()) {
            string(sb, SafetensorsHeader.METADATA_KEY);
            sb.append(":{");
            boolean firstPair = true;
            for (Map.Entry<String, String> m : metadata.entrySet()) {
                if (!firstPair) {
                    sb.append(',');
                }
                firstPair = false;
                string(sb, m.getKey());
                sb.append(':');
                string(sb, m.getValue());
            }
            sb.append('}');
            first = false;
        }
        for (SafetensorsHeader.Entry e : entries) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            string(sb, e.name());
            sb.append(":{\"dtype\":\"").append(e.dtype().name()).append("\",\"shape\":[");
            long[] shape = e.shape();
            for (int i = 0; i < shape.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(shape[i]);
            }
            sb.append("],\"data_offsets\":[").append(e.begin()).append(',').append(e.end()).append("]}");
        }
        sb.append('}');
        byte[] json = utf8(sb);
        long padded = roundUp(SafetensorsHeader.LENGTH_FIELD_BYTES + (long) json.length, DATA_ALIGNMENT);
        if (padded > Integer.MAX_VALUE) {
            throw new IpcException(Reason.TOO_LARGE, "tensor store header of " + json.length + " bytes is too large");
        }
        byte[] out = new byte[(int) padded];
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(0, padded - SafetensorsHeader.LENGTH_FIELD_BYTES);
        System.arraycopy(json, 0, out, SafetensorsHeader.LENGTH_FIELD_BYTES, json.length);
        java.util.Arrays.fill(out, SafetensorsHeader.LENGTH_FIELD_BYTES + json.length, out.length, (byte) ' ');
        return out;
    }

    static long roundUp(long v, long to) {
        return (v + to - 1) / to * to;
    }

    private static byte[] utf8(CharSequence s) {
        try {
            ByteBuffer bb = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            byte[] out = new byte[bb.remaining()];
            bb.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IpcException(Reason.INVALID_ARGUMENT,
                    "a tensor name or metadata string holds an unpaired surrogate: it cannot be written as UTF-8", e);
        }
    }

    /** Appends a JSON string literal: quotes, backslashes and control characters escaped. */
    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
