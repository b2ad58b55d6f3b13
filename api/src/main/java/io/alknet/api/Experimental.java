package io.alknet.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks API that may still change incompatibly in a minor release (see docs/develop/README.md, "API
 * stability"). Everything else in {@code alknet-api} keeps compatibility within a major version; a build
 * check ({@code ApiCompatibilityTest}) holds it to its recorded surface.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.PACKAGE, ElementType.METHOD, ElementType.CONSTRUCTOR})
public @interface Experimental {
}
