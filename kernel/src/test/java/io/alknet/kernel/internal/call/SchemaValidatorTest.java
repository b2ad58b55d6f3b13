package io.alknet.kernel.internal.call;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaValidatorTest {

    private static final Map<String, Object> PERSON = Map.of(
            "type", "object",
            "required", List.of("name"),
            "additionalProperties", false,
            "properties", Map.of(
                    "name", Map.of("type", "string", "minLength", 1, "maxLength", 5, "pattern", "^[A-Z]"),
                    "age", Map.of("type", "integer", "minimum", 0, "exclusiveMaximum", 150),
                    "tags", Map.of("type", "array", "maxItems", 2, "items", Map.of("enum", List.of("a", "b"))),
                    "id", Map.of("anyOf", List.of(Map.of("type", "string"), Map.of("type", "integer")))));

    @Test
    void acceptsAValidValueAndAnEmptySchemaAcceptsAnything() {
        assertThat(SchemaValidator.validate(PERSON, Map.of("name", "Ada", "age", 36, "tags", List.of("a"), "id", 7))).isEmpty();
        assertThat(SchemaValidator.validate(Map.of(), List.of(1, "x", Map.of()))).isEmpty();
        assertThat(SchemaValidator.validate(Map.of("type", "number"), 1.5)).isEmpty();
        assertThat(SchemaValidator.validate(Map.of("type", "integer"), 2.0)).as("2.0 is an integer in JSON").isEmpty();
    }

    @Test
    void namesEveryProblemWithItsPointer() {
        List<String> problems = SchemaValidator.validate(PERSON,
                Map.of("name", "ada-lovelace", "age", 150, "tags", List.of("a", "c", "b"), "id", true, "extra", 1));
        assertThat(problems).as(String.join("\n", problems)).hasSize(7)
                .anySatisfy(p -> assertThat(p).isEqualTo("/name: must be at most 5 characters long"))
                .anySatisfy(p -> assertThat(p).isEqualTo("/name: must match ^[A-Z]"))
                .anySatisfy(p -> assertThat(p).startsWith("/age: must be ").endsWith(" 150"))
                .anySatisfy(p -> assertThat(p).isEqualTo("/tags: takes at most 2 items"))
                .anySatisfy(p -> assertThat(p).startsWith("/tags/1: must be one of "))
                .anySatisfy(p -> assertThat(p).isEqualTo("/id: matches none of the allowed forms"))
                .anySatisfy(p -> assertThat(p).startsWith("/extra: is not allowed"));
        assertThat(SchemaValidator.validate(PERSON, Map.of())).singleElement().asString().contains("name");
        assertThat(SchemaValidator.validate(PERSON, "Ada")).singleElement().asString().contains("object");
    }

    @Test
    void aNumberTooLargeForADoubleIsAProblemNotAFailure() {
        // Jackson reads 1e400 as infinity
        assertThat(SchemaValidator.validate(Map.of("type", "number", "maximum", 10), Double.POSITIVE_INFINITY))
                .singleElement().asString().contains("must be a finite number");
        assertThat(SchemaValidator.validate(Map.of("enum", List.of(1, 2)), Double.NEGATIVE_INFINITY)).hasSize(1);
    }

    @Test
    void stopsAfterTenProblems() {
        Map<String, Object> schema = Map.of("type", "array", "items", Map.of("type", "string"));
        assertThat(SchemaValidator.validate(schema, List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12))).hasSize(10);
    }
}
