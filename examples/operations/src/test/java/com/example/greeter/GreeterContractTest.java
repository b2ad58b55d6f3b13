package com.example.greeter;

import io.alknet.api.call.Operation;
import io.alknet.testkit.contract.OperationContract;

import java.util.List;
import java.util.Map;

/** The greeter's operations against the operation contract from alknet-testkit. */
class GreeterContractTest extends OperationContract {

    @Override
    protected List<Operation> operations() {
        return new GreeterPlugin().operations();
    }

    @Override
    protected List<Example> examples() {
        return List.of(
                new Example("/greeter/hello", Map.of("name", "Ada"), Map.of("message", "Hello, Ada!")),
                new Example("/greeter/countdown", Map.of("from", 3), List.of(3, 2, 1)));
    }

    @Override
    protected List<Map.Entry<Example, String>> failures() {
        return List.of(Map.entry(new Example("/greeter/hello", Map.of("name", "Mallory"), null), "NAME_REFUSED"));
    }
}
