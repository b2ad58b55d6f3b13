package io.alknet.api.call;

/**
 * The code of a query or mutation: takes the input, returns the result (a JSON value, see the package
 * documentation). Runs on a virtual thread of its own, so it may block; it should watch
 * {@link OperationContext#isCancelled()} when it runs long. Throw {@link OperationException} to fail with
 * a specific code.
 */
@FunctionalInterface
public interface OperationHandler {

    Object handle(Object input, OperationContext context) throws Exception;
}
