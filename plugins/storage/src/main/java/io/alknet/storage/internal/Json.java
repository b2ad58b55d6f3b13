package io.alknet.storage.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The JSON columns (attributes, scopes, details) read and written with one shared, thread-safe mapper. */
public final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JacksonException e) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "cannot write JSON: " + e.getOriginalMessage());
        }
    }

    public static Map<String, Object> object(String text) {
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        try {
            return MAPPER.readValue(text, new TypeReference<Map<String, Object>>() { });
        } catch (JacksonException e) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "not a JSON object: " + e.getOriginalMessage());
        }
    }

    /** A JSON array of strings as a set, in order; null (a column not set) is empty. */
    public static Set<String> strings(String text) {
        if (text == null || text.isBlank()) {
            return Set.of();
        }
        try {
            return new LinkedHashSet<>(MAPPER.readValue(text, new TypeReference<List<String>>() { }));
        } catch (JacksonException e) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "not a JSON array of strings: " + e.getOriginalMessage());
        }
    }
}
