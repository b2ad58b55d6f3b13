package io.alknet.kernel.internal;

import java.util.function.Supplier;

/** Runs calls into plugin code with the plugin's class loader as the thread's context class loader. */
final class PluginCalls {

    private PluginCalls() {
    }

    static <T> T withLoader(ClassLoader loader, Supplier<T> call) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return call.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
