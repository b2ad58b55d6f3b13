package io.alknet.testkit.contract;

import io.alknet.api.Identity;
import io.alknet.api.call.CallError;
import io.alknet.api.call.EventSink;
import io.alknet.api.call.Operation;
import io.alknet.api.call.OperationContext;
import io.alknet.api.call.OperationException;
import io.alknet.api.call.OperationSpec;
import io.alknet.api.call.OperationType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every set of operations a plugin contributes must satisfy: unique, well-formed paths; a spec a
 * client can read (a version, a description, object schemas, error codes in {@code UPPER_SNAKE_CASE}); and
 * handlers that give the documented result for the examples you supply and fail only with
 * {@link OperationException}s carrying a declared or protocol code.
 */
public abstract class OperationContract {

    /** The operations under test, e.g. {@code new MyPlugin().operations()}. */
    protected abstract List<Operation> operations() throws Exception;

    /** One worked example: calling {@code path} with {@code input} gives {@code output} (a list of items for a subscription). */
    public record Example(String path, Object input, Object output) {
    }

    /** Worked examples, at least one per operation. */
    protected abstract List<Example> examples() throws Exception;

    /** Examples whose call must fail with {@code code}. */
    protected List<Map.Entry<Example, String>> failures() throws Exception {
        return List.of();
    }

    /** The identity the examples run as (by default one holding every scope the specs require). */
    protected Identity caller() throws Exception {
        Set<String> scopes = new HashSet<>();
        for (Operation operation : operations()) {
            scopes.addAll(operation.spec().access().requiredScopes());
            scopes.addAll(operation.spec().access().requiredScopesAny());
        }
        return Identity.of("SHA256:contract", "contract", scopes);
    }

    @Test
    void specsAreWellFormedAndPathsUnique() throws Exception {
        Set<String> paths = new HashSet<>();
        for (Operation operation : operations()) {
            OperationSpec spec = operation.spec();
            assertThat(paths.add(spec.path())).as("path %s is unique", spec.path()).isTrue();
            assertThat(spec.path()).matches("(/[A-Za-z0-9_.-]+){2,}");
            assertThat(spec.version()).as("version of %s", spec.path()).matches("\\d+\\.\\d+\\.\\d+.*");
            assertThat(spec.description()).as("description of %s", spec.path()).isNotBlank();
            if (!spec.inputSchema().isEmpty()) {
                assertThat(spec.inputSchema()).as("input schema of %s", spec.path()).containsKey("type");
            }
            for (String code : spec.errorCodes()) {
                assertThat(code).as("error code of %s", spec.path()).matches("[A-Z][A-Z0-9_]*");
            }
        }
    }

    @Test
    void everyOperationHasAnExampleAndTheExamplesGiveTheirResults() throws Exception {
        Map<String, Operation> byPath = new java.util.HashMap<>();
        operations().forEach(operation -> byPath.put(operation.spec().path(), operation));
        Set<String> covered = new HashSet<>();
        for (Example example : examples()) {
            Operation operation = byPath.get(example.path());
            assertThat(operation).as("an operation %s", example.path()).isNotNull();
            covered.add(example.path());
            assertThat(run(operation, example.input())).as("result of %s", example.path()).isEqualTo(example.output());
        }
        assertThat(covered).as("operations with an example").containsAll(byPath.keySet());
    }

    @Test
    void failuresCarryADeclaredOrProtocolCode() throws Exception {
        Map<String, Operation> byPath = new java.util.HashMap<>();
        operations().forEach(operation -> byPath.put(operation.spec().path(), operation));
        Set<String> protocol = Set.of(CallError.OPERATION_NOT_FOUND, CallError.ACCESS_DENIED, CallError.VALIDATION_ERROR,
                CallError.TIMEOUT, CallError.ABORTED, CallError.EXECUTION_ERROR);
        for (Map.Entry<Example, String> failure : failures()) {
            Operation operation = byPath.get(failure.getKey().path());
            try {
                run(operation, failure.getKey().input());
                throw new AssertionError(failure.getKey().path() + " did not fail");
            } catch (OperationException e) {
                assertThat(e.code()).isEqualTo(failure.getValue());
                assertThat(operation.spec().errorCodes().contains(e.code()) || protocol.contains(e.code()))
                        .as("%s is declared by the spec or a protocol code", e.code()).isTrue();
            }
        }
    }

    private Object run(Operation operation, Object input) throws Exception {
        OperationContext context = new TestOperationContext(caller(), false);
        if (operation.spec().type() == OperationType.SUBSCRIPTION) {
            List<Object> items = new ArrayList<>();
            EventSink sink = items::add;
            operation.subscriptionHandler().subscribe(input, context, sink);
            return items;
        }
        return operation.handler().handle(input, context);
    }
}
