package io.alknet.kernel.internal.call;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks a JSON value (plain Java values) against a JSON Schema. The subset operations use: {@code type}
 * (one or a list), {@code properties}, {@code required}, {@code additionalProperties} (boolean or schema),
 * {@code items}, {@code enum}, {@code const}, {@code minimum}, {@code maximum}, {@code exclusiveMinimum},
 * {@code exclusiveMaximum}, {@code minLength}, {@code maxLength}, {@code pattern}, {@code minItems},
 * {@code maxItems}, {@code allOf}, {@code anyOf}, {@code oneOf}, {@code not}. Other keywords (titles,
 * descriptions, formats, {@code $ref}) are ignored. Hand-written because the kernel depends on the JDK, the
 * API, Guice and SLF4J only, and no JSON Schema library works on plain Java values without its own JSON tree.
 * Thread-safe and stateless.
 */
final class SchemaValidator {

    private static final int MAX_ERRORS = 10;

    private SchemaValidator() {
    }

    /** The problems found, each as {@code /json/pointer: what}; empty when the value is valid. */
    static List<String> validate(Map<String, Object> schema, Object value) {
        List<String> errors = new ArrayList<>();
        check(schema, value, "", errors);
        return errors;
    }

    @SuppressWarnings("unchecked")
    private static void check(Object schemaValue, Object value, String path, List<String> errors) {
        if (errors.size() >= MAX_ERRORS || !(schemaValue instanceof Map<?, ?> raw)) {
            if (Boolean.FALSE.equals(schemaValue)) {
                errors.add(where(path) + "no value is allowed here");
            }
            return;
        }
        Map<String, Object> schema = (Map<String, Object>) raw;
        if ((value instanceof Double d && !Double.isFinite(d)) || (value instanceof Float f && !Float.isFinite(f))) {
            errors.add(where(path) + "must be a finite number (JSON has no infinity, e.g. 1e400 overflows)");
            return;
        }
        Object type = schema.get("type");
        if (type != null && !typeMatches(type, value)) {
            errors.add(where(path) + "expected " + type + ", got " + typeName(value));
            return;
        }
        if (schema.containsKey("const") && !jsonEquals(schema.get("const"), value)) {
            errors.add(where(path) + "must be " + schema.get("const"));
        }
        if (schema.get("enum") instanceof List<?> options && options.stream().noneMatch(option -> jsonEquals(option, value))) {
            errors.add(where(path) + "must be one of " + options);
        }
        if (value instanceof Number number) {
            BigDecimal n = decimal(number);
            bound(schema, "minimum", n, path, errors, c -> c >= 0, "at least");
            bound(schema, "maximum", n, path, errors, c -> c <= 0, "at most");
            bound(schema, "exclusiveMinimum", n, path, errors, c -> c > 0, "more than");
            bound(schema, "exclusiveMaximum", n, path, errors, c -> c < 0, "less than");
        }
        if (value instanceof String text) {
            int length = text.codePointCount(0, text.length());
            if (schema.get("minLength") instanceof Number min && length < min.intValue()) {
                errors.add(where(path) + "must be at least " + min + " characters long");
            }
            if (schema.get("maxLength") instanceof Number max && length > max.intValue()) {
                errors.add(where(path) + "must be at most " + max + " characters long");
            }
            if (schema.get("pattern") instanceof String pattern && !matches(pattern, text)) {
                errors.add(where(path) + "must match " + pattern);
            }
        }
        if (value instanceof List<?> list) {
            if (schema.get("minItems") instanceof Number min && list.size() < min.intValue()) {
                errors.add(where(path) + "needs at least " + min + " items");
            }
            if (schema.get("maxItems") instanceof Number max && list.size() > max.intValue()) {
                errors.add(where(path) + "takes at most " + max + " items");
            }
            if (schema.get("items") != null) {
                for (int i = 0; i < list.size(); i++) {
                    check(schema.get("items"), list.get(i), path + "/" + i, errors);
                }
            }
        }
        if (value instanceof Map<?, ?> object) {
            Map<String, Object> properties = schema.get("properties") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
            if (schema.get("required") instanceof List<?> required) {
                for (Object name : required) {
                    if (!object.containsKey(name)) {
                        errors.add(where(path + "/" + name) + "is required");
                    }
                }
            }
            for (Map.Entry<?, ?> entry : object.entrySet()) {
                String name = String.valueOf(entry.getKey());
                String child = path + "/" + name.replace("~", "~0").replace("/", "~1");
                if (properties.containsKey(name)) {
                    check(properties.get(name), entry.getValue(), child, errors);
                } else if (Boolean.FALSE.equals(schema.get("additionalProperties"))) {
                    errors.add(where(child) + "is not allowed (known: " + String.join(", ", properties.keySet()) + ")");
                } else if (schema.get("additionalProperties") instanceof Map<?, ?> extra) {
                    check(extra, entry.getValue(), child, errors);
                }
            }
        }
        if (schema.get("allOf") instanceof List<?> all) {
            for (Object sub : all) {
                check(sub, value, path, errors);
            }
        }
        if (schema.get("anyOf") instanceof List<?> any && any.stream().noneMatch(sub -> validOne(sub, value))) {
            errors.add(where(path) + "matches none of the allowed forms");
        }
        if (schema.get("oneOf") instanceof List<?> one && one.stream().filter(sub -> validOne(sub, value)).count() != 1) {
            errors.add(where(path) + "must match exactly one of the allowed forms");
        }
        if (schema.get("not") != null && validOne(schema.get("not"), value)) {
            errors.add(where(path) + "matches a form that is not allowed");
        }
    }

    private static boolean validOne(Object schema, Object value) {
        List<String> errors = new ArrayList<>();
        check(schema, value, "", errors);
        return errors.isEmpty();
    }

    private static void bound(Map<String, Object> schema, String keyword, BigDecimal value, String path, List<String> errors,
                              java.util.function.IntPredicate ok, String words) {
        if (schema.get(keyword) instanceof Number limit && !ok.test(value.compareTo(decimal(limit)))) {
            errors.add(where(path) + "must be " + words + " " + limit);
        }
    }

    private static boolean matches(String pattern, String text) {
        try {
            return Pattern.compile(pattern).matcher(text).find();
        } catch (PatternSyntaxException e) {
            return true; // a broken pattern in a spec is the spec author's bug, not the caller's
        }
    }

    private static boolean typeMatches(Object type, Object value) {
        if (type instanceof List<?> types) {
            return types.stream().anyMatch(t -> typeMatches(t, value));
        }
        return switch (String.valueOf(type)) {
            case "null" -> value == null;
            case "boolean" -> value instanceof Boolean;
            case "string" -> value instanceof String;
            case "number" -> value instanceof Number;
            case "integer" -> value instanceof Number n && isInteger(n);
            case "array" -> value instanceof List<?>;
            case "object" -> value instanceof Map<?, ?>;
            default -> true;
        };
    }

    private static boolean isInteger(Number number) {
        try {
            return decimal(number).stripTrailingZeros().scale() <= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String typeName(Object value) {
        return switch (value) {
            case null -> "null";
            case Boolean b -> "boolean";
            case String s -> "string";
            case Number n -> isInteger(n) ? "integer" : "number";
            case List<?> l -> "array";
            case Map<?, ?> m -> "object";
            default -> value.getClass().getSimpleName();
        };
    }

    private static boolean jsonEquals(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return decimal(x).compareTo(decimal(y)) == 0;
        }
        return Objects.equals(a, b);
    }

    private static BigDecimal decimal(Number number) {
        return number instanceof BigDecimal big ? big : new BigDecimal(number.toString());
    }

    private static String where(String path) {
        return (path.isEmpty() ? "input" : path) + ": ";
    }
}
