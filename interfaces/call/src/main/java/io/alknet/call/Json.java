package io.alknet.call;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;

/**
 * JSON text to plain Java values and back ({@code Map}, {@code List}, {@code String}, {@code Number},
 * {@code Boolean}, {@code null}; see {@link io.alknet.api.call}). Thread-safe.
 */
public final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    /**
     * Parses JSON text.
     *
     * @throws IllegalArgumentException with the parser's reason (line and column) when the text is not JSON
     */
    public static Object read(byte[] utf8) {
        return read(utf8, 0, utf8.length);
    }

    public static Object read(byte[] utf8, int offset, int length) {
        try {
            return MAPPER.readValue(utf8, offset, length, Object.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(e.getOriginalMessage() + locationOf(e), e);
        }
    }

    public static Object read(String text) {
        return read(text.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] write(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    public static String writeString(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /** Indented, for people. */
    public static String pretty(Object value) {
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    }

    private static String locationOf(JacksonException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
