package io.ipc4j.tensor.store;

import io.ipc4j.IpcException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON parser (RFC 8259) for safetensors headers, with limits. Values come back as
 * {@code LinkedHashMap<String,Object>} (member order kept), {@code List<Object>}, {@code String},
 * {@code Long} (non-negative integers that fit a long), {@link OtherNumber} (every other number,
 * kept as text so the caller can say what was wrong), {@code Boolean} and {@link #NULL}.
 *
 * <p>Rejected, each with a message giving the byte offset: invalid UTF-8 (overlong forms, encoded
 * surrogates, code points above U+10FFFF, truncated sequences), unescaped control characters,
 * unknown escapes, lone surrogate escapes, leading zeros, duplicate keys, nesting deeper than
 * {@link HeaderLimits#maxDepth()}, strings, arrays and objects over their limits, and anything but
 * JSON whitespace after the value. Recursion depth is bounded by {@code maxDepth}.
 */
final class StrictJson {
    /** A JSON {@code null}. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /**
     * A number that is not a non-negative integer within long range: negative, fractional, with
     * an exponent, or too large.
     *
     * @param text its text (shortened when long)
     */
    record OtherNumber(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    private final byte[] b;
    private final int end;
    private final HeaderLimits limits;
    private int pos;

    private StrictJson(byte[] bytes, int length, HeaderLimits limits) {
        this.b = bytes;
        this.end = length;
        this.limits = limits;
    }

    /**
     * Parses exactly one JSON value from {@code bytes[0, length)}, allowing JSON whitespace around it.
     *
     * @param bytes  the text, UTF-8
     * @param length how many bytes of it
     * @param limits the bounds
     * @return the value
     * @throws IpcException CORRUPT or TOO_LARGE saying what was wrong and where
     */
    static Object parse(byte[] bytes, int length, HeaderLimits limits) {
        StrictJson p = new StrictJson(bytes, length, limits);
        p.skipWhitespace();
        Object v = p.value(0, null, null);
        p.skipWhitespace();
        if (p.pos < p.end) {
            throw p.corrupt("trailing garbage after the JSON value: " + describeByte(p.b[p.pos])
                    + " (only spaces may pad a header)");
        }
        return v;
    }

    /**
     * @param owner the path of the object holding this value (null at the top), for messages
     * @param key   the member key or enclosing array's key naming this value (null at the top)
     */
    private Object value(int depth, String owner, String key) {
        if (pos >= end) {
            throw corrupt("unexpected end of header, expected a value");
        }
        byte c = b[pos];
        return switch (c) {
            case '{' -> object(depth + 1, path(owner, key));
            case '[' -> array(depth + 1, owner, key);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw corrupt("not JSON: unexpected " + describeByte(c));
            }
        };
    }

    /** A dotted path for messages; only objects below the top level pay for the concatenation. */
    private static String path(String owner, String key) {
        return owner == null ? key : key == null ? owner : owner + "." + key;
    }

    private void checkDepth(int depth) {
        if (depth > limits.maxDepth()) {
            throw corrupt("JSON nested deeper than " + limits.maxDepth() + " levels");
        }
    }

    private Map<String, Object> object(int depth, String parentKey) {
        checkDepth(depth);
        pos++; // '{'
        LinkedHashMap<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw corrupt("expected a string key in an object, found " + describeNext());
            }
            int keyAt = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object v = value(depth, parentKey, key);
            if (map.containsKey(key)) {
                pos = keyAt;
                throw corrupt(depth == 1 ? "duplicate tensor name " + SafetensorsHeader.quote(key)
                        : "duplicate key " + SafetensorsHeader.quote(key) + " in "
                        + (parentKey == null ? "an object" : SafetensorsHeader.quote(parentKey)));
            }
            if (map.size() >= limits.maxTensors() + 1) {
                throw tooLarge("JSON object with more than " + (limits.maxTensors() + 1)
                        + " members (limit maxTensors=" + limits.maxTensors() + ")");
            }
            map.put(key, v);
            skipWhitespace();
            byte c = peek();
            pos++;
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                pos--;
                throw corrupt("expected ',' or '}' in an object, found " + describeNext());
            }
        }
    }

    private List<Object> array(int depth, String owner, String key) {
        checkDepth(depth);
        pos++; // '['
        ArrayList<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipWhitespace();
            if (list.size() >= limits.maxRank()) {
                throw tooLarge("JSON array with more than " + limits.maxRank() + " elements (limit maxRank)"
                        + (key == null ? "" : " in " + SafetensorsHeader.quote(path(owner, key))));
            }
            list.add(value(depth, owner, key));
            skipWhitespace();
            byte c = peek();
            pos++;
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                pos--;
                throw corrupt("expected ',' or ']' in an array, found " + describeNext());
            }
        }
    }

    private Object literal(String word, Object v) {
        int n = word.length();
        if (end - pos < n) {
            throw corrupt("not JSON: truncated literal, expected '" + word + "'");
        }
        for (int i = 0; i < n; i++) {
            if (b[pos + i] != word.charAt(i)) {
                throw corrupt("not JSON: unexpected " + describeByte(b[pos]));
            }
        }
        pos += n;
        return v;
    }

    private Object number() {
        int start = pos;
        boolean negative = false;
        if (b[pos] == '-') {
            negative = true;
            pos++;
        }
        if (pos >= end || b[pos] < '0' || b[pos] > '9') {
            throw corrupt("malformed number: '-' not followed by a digit");
        }
        if (b[pos] == '0' && pos + 1 < end && b[pos + 1] >= '0' && b[pos + 1] <= '9') {
            throw corrupt("malformed number: leading zero");
        }
        int intStart = pos;
        while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
            pos++;
        }
        int intEnd = pos;
        boolean fraction = false;
        if (pos < end && b[pos] == '.') {
            fraction = true;
            pos++;
            int d = pos;
            while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
                pos++;
            }
            if (pos == d) {
                throw corrupt("malformed number: no digit after '.'");
            }
        }
        if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
            fraction = true;
            pos++;
            if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
                pos++;
            }
            int d = pos;
            while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
                pos++;
            }
            if (pos == d) {
                throw corrupt("malformed number: no digit in the exponent");
            }
        }
        if (!negative && !fraction && intEnd - intStart <= 19) {
            long v = 0;
            boolean overflow = false;
            for (int i = intStart; i < intEnd; i++) {
                int digit = b[i] - '0';
                if (v > (Long.MAX_VALUE - digit) / 10) {
                    overflow = true;
                    break;
                }
                v = v * 10 + digit;
            }
            if (!overflow) {
                return v;
            }
        }
        int len = pos - start;
        String text = new String(b, start, Math.min(len, 40), java.nio.charset.StandardCharsets.US_ASCII);
        return new OtherNumber(len > 40 ? text + "..." : text);
    }

    private String string() {
        int start = pos;
        pos++; // opening quote
        StringBuilder sb = null;
        int runStart = pos;
        while (true) {
            if (pos >= end) {
                pos = start;
                throw corrupt("unterminated string");
            }
            if (pos - start > limits.maxStringBytes() + 1) {
                pos = start;
                throw tooLarge("string longer than " + limits.maxStringBytes() + " bytes (limit maxStringBytes)");
            }
            int c = b[pos] & 0xFF;
            if (c == '"') {
                String s;
                if (sb == null) {
                    s = decodeRun(runStart, pos);
                } else {
                    sb.append(decodeRun(runStart, pos));
                    s = sb.toString();
                }
                pos++;
                return s;
            }
            if (c < 0x20) {
                throw corrupt("unescaped control character " + describeByte(b[pos]) + " in a string");
            }
            if (c == '\\') {
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(decodeRun(runStart, pos));
                pos++;
                escape(sb);
                runStart = pos;
                continue;
            }
            if (c < 0x80) {
                pos++;
            } else {
                pos += utf8Length(pos);
            }
        }
    }

    /** Validates one UTF-8 sequence at {@code i} strictly and returns its length. */
    private int utf8Length(int i) {
        int c = b[i] & 0xFF;
        int n;
        int min;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            min = 0x10000;
        } else {
            throw badUtf8(i, String.format("invalid UTF-8 lead byte 0x%02X", c));
        }
        if (i + n > end) {
            throw badUtf8(i, "truncated UTF-8 sequence");
        }
        int cp = c & (0xFF >> (n + 1));
        for (int k = 1; k < n; k++) {
            int cc = b[i + k] & 0xFF;
            if ((cc & 0xC0) != 0x80) {
                throw badUtf8(i, String.format("invalid UTF-8 continuation byte 0x%02X", cc));
            }
            cp = (cp << 6) | (cc & 0x3F);
        }
        if (cp < min) {
            throw badUtf8(i, "overlong UTF-8 encoding");
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            throw badUtf8(i, "UTF-8 encoded surrogate U+" + Integer.toHexString(cp).toUpperCase(java.util.Locale.ROOT));
        }
        if (cp > 0x10FFFF) {
            throw badUtf8(i, "code point above U+10FFFF");
        }
        return n;
    }

    private IpcException badUtf8(int at, String what) {
        pos = at;
        return corrupt(what + " in a string");
    }

    private String decodeRun(int from, int to) {
        // the run was validated by utf8Length, so the decoder cannot meet malformed input
        return new String(b, from, to - from, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void escape(StringBuilder sb) {
        if (pos >= end) {
            throw corrupt("unterminated escape in a string");
        }
        byte e = b[pos++];
        switch (e) {
            case '"' -> sb.append('"');
            case '\\' -> sb.append('\\');
            case '/' -> sb.append('/');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'u' -> {
                char c = hex4();
                if (Character.isHighSurrogate(c)) {
                    if (end - pos >= 6 && b[pos] == '\\' && b[pos + 1] == 'u') {
                        pos += 2;
                        char low = hex4();
                        if (!Character.isLowSurrogate(low)) {
                            pos -= 6;
                            throw corrupt("escaped high surrogate not followed by a low surrogate");
                        }
                        sb.append(c).append(low);
                    } else {
                        throw corrupt("lone escaped high surrogate \\u" + Integer.toHexString(c));
                    }
                } else if (Character.isLowSurrogate(c)) {
                    pos -= 6;
                    throw corrupt("lone escaped low surrogate \\u" + Integer.toHexString(c));
                } else {
                    sb.append(c);
                }
            }
            default -> {
                pos--;
                throw corrupt("invalid escape '\\" + (char) (e & 0x7F) + "' in a string");
            }
        }
    }

    private char hex4() {
        if (end - pos < 4) {
            throw corrupt("truncated \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int c = b[pos + i];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) {
                throw corrupt("invalid hex digit in \\u escape: " + describeByte((byte) c));
            }
            v = (v << 4) | d;
        }
        pos += 4;
        return (char) v;
    }

    private void skipWhitespace() {
        while (pos < end) {
            byte c = b[pos];
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                pos++;
            } else {
                return;
            }
        }
    }

    private byte peek() {
        if (pos >= end) {
            throw corrupt("unexpected end of header");
        }
        return b[pos];
    }

    private void expect(char c) {
        if (pos >= end || b[pos] != c) {
            throw corrupt("expected '" + c + "', found " + describeNext());
        }
        pos++;
    }

    private String describeNext() {
        return pos >= end ? "end of header" : describeByte(b[pos]);
    }

    static String describeByte(byte v) {
        int c = v & 0xFF;
        return c >= 0x20 && c < 0x7F ? "'" + (char) c + "'" : String.format("byte 0x%02X", c);
    }

    private IpcException corrupt(String what) {
        return new IpcException(IpcException.Reason.CORRUPT, "header JSON at byte " + pos + ": " + what);
    }

    private IpcException tooLarge(String what) {
        return new IpcException(IpcException.Reason.TOO_LARGE, "header JSON at byte " + pos + ": " + what);
    }
}
