/**
 * Contract test suites: abstract JUnit 5 classes a plugin author extends, supplying the plugin under test;
 * every test then runs against it. The built-in plugins' own test suites extend them too. Contracts test
 * the behaviour the ports promise in their Javadoc, with real I/O where the port does I/O.
 */
package io.alknet.testkit.contract;
