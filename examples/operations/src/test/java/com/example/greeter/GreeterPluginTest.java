package com.example.greeter;

import io.alknet.api.call.Operation;
import io.alknet.api.call.OperationException;
import io.alknet.api.call.OperationType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The plugin's own unit test; the kernel's CallProtocolTest loads its jar into a real server. */
class GreeterPluginTest {

    @Test
    void contributesASpecWithEveryHandler() {
        var operations = new GreeterPlugin().operations();
        assertThat(operations).extracting(operation -> operation.spec().path())
                .containsExactly("/greeter/hello", "/greeter/countdown");
        Operation hello = operations.getFirst();
        assertThat(hello.spec().type()).isEqualTo(OperationType.QUERY);
        assertThat(hello.spec().access().requiredScopes()).containsExactly(GreeterPlugin.SCOPE);
        assertThat(hello.spec().errorCodes()).containsExactly("NAME_REFUSED");
    }

    @Test
    void greetsAndRefusesWithItsDeclaredCode() throws Exception {
        Operation hello = new GreeterPlugin().operations().getFirst();
        assertThat(hello.handler().handle(Map.of("name", "Ada"), null)).isEqualTo(Map.of("message", "Hello, Ada!"));
        assertThatThrownBy(() -> hello.handler().handle(Map.of("name", "Mallory"), null))
                .isInstanceOf(OperationException.class)
                .satisfies(error -> assertThat(((OperationException) error).code()).isEqualTo("NAME_REFUSED"));
    }
}
