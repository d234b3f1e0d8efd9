package io.ipc4j.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A minimal JSON writer for {@code --json} output: objects keep insertion order; values may be
 * {@code null}, strings, numbers, booleans, lists, maps with string keys, or nested
 * {@link Json} objects. Non-finite doubles are written as {@code null}.
 *
 * <pre>{@code
 * String text = Json.object().put("name", "w").put("size", 4096).put("alive", null).toString();
 * }</pre>
 */
public final class Json {
    private final Map<String, Object> members = new LinkedHashMap<>();

    private Json() {
    }

    /** @return an empty object */
    public static Json object() {
        return new Json();
    }

    /**
     * Sets a member (replacing an earlier one of the same name, keeping its position).
     *
     * @param key   member name
     * @param value its value (see the class comment for the types allowed)
     * @return this
     */
    public Json put(String key, Object value) {
        members.put(Objects.requireNonNull(key, "key"), value);
        return this;
    }

    /** @return the object as compact JSON text */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        write(sb, this);
        return sb.toString();
    }

    /**
     * @param value a value (see the class comment)
     * @return its JSON text
     * @throws IllegalArgumentException for an unsupported type
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v) {
        switch (v) {
            case null -> sb.append("null");
            case String s -> quote(sb, s);
            case Boolean b -> sb.append(b);
            case Double d -> sb.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%s", d) : "null");
            case Float f -> write(sb, f.doubleValue());
            case Number n -> sb.append(n);
            case Json j -> writeMap(sb, j.members);
            case Map<?, ?> m -> writeMap(sb, m);
            case List<?> l -> {
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    write(sb, l.get(i));
                }
                sb.append(']');
            }
            case long[] a -> {
                sb.append('[');
                for (int i = 0; i < a.length; i++) {
                    sb.append(i > 0 ? "," : "").append(a[i]);
                }
                sb.append(']');
            }
            default -> throw new IllegalArgumentException("no JSON form for " + v.getClass().getName());
        }
    }

    private static void writeMap(StringBuilder sb, Map<?, ?> m) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            quote(sb, String.valueOf(e.getKey()));
            sb.append(':');
            write(sb, e.getValue());
        }
        sb.append('}');
    }

    /**
     * @param s any string
     * @return it as a JSON string literal, quotes included
     */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder();
        quote(sb, s);
        return sb.toString();
    }

    private static void quote(StringBuilder sb, String s) {
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
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
