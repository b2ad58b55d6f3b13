package io.alknet.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import io.alknet.api.plugin.AlknetPlugin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The production classes obey every rule. */
class ArchitectureTest {

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = Modules.production();
    }

    @Test
    void everyModuleIsImported() {
        for (String module : Modules.ALL) {
            assertThat(production.stream().anyMatch(c -> c.getPackageName().startsWith(module)))
                    .as("classes of " + module + " are on the test class path").isTrue();
        }
    }

    @Test
    void apiIsJdkOnly() {
        ArchitectureRules.API_IS_JDK_ONLY.check(production);
    }

    @Test
    void streamSupportIsJdkAndApiOnly() {
        ArchitectureRules.STREAM_SUPPORT_IS_JDK_AND_API_ONLY.check(production);
    }

    @Test
    void flowgraphIsJdkAndApiOnly() {
        ArchitectureRules.FLOWGRAPH_IS_JDK_AND_API_ONLY.check(production);
    }

    @Test
    void pluginsDoNotDependOnTheKernel() {
        ArchitectureRules.PLUGINS_DO_NOT_DEPEND_ON_KERNEL.check(production);
    }

    @Test
    void pluginsAreIndependent() {
        ArchitectureRules.PLUGINS_ARE_INDEPENDENT.check(production);
    }

    @Test
    void kernelDoesNotKnowPlugins() {
        ArchitectureRules.KERNEL_DOES_NOT_KNOW_PLUGINS.check(production);
    }

    @Test
    void kernelHasNoIoLibraries() {
        ArchitectureRules.KERNEL_HAS_NO_IO_LIBRARIES.check(production);
    }

    @Test
    void internalPackagesStayInternal() {
        ArchitectureRules.INTERNAL_STAYS_INTERNAL.check(production);
    }

    @Test
    void everyPluginModuleHasExactlyOneEntryPoint() {
        for (String plugin : Modules.PLUGINS) {
            List<String> entryPoints = production.stream()
                    .filter(c -> c.getPackageName().startsWith(plugin))
                    .filter(c -> c.isAssignableTo(AlknetPlugin.class) && !c.isInterface())
                    .map(c -> c.getName()).toList();
            assertThat(entryPoints).as("AlknetPlugin implementations in " + plugin).hasSize(1);
        }
    }

    /**
     * Every rule declared in {@link ArchitectureRules} is in {@link ArchitectureRules#all()}, holds on the production
     * classes, and is seen to fail on at least one of the deliberate violators in the {@code violation} test packages:
     * a rule added without a violator, or left out of {@code all()}, fails here.
     */
    @Test
    void everyRuleIsListedHoldsAndIsSeenToFail() throws Exception {
        List<ArchRule> declared = new ArrayList<>();
        for (Field field : ArchitectureRules.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && ArchRule.class.isAssignableFrom(field.getType())) {
                field.setAccessible(true);
                declared.add((ArchRule) field.get(null));
            }
        }
        assertThat(declared).as("rules declared in ArchitectureRules").isNotEmpty();
        assertThat(ArchitectureRules.all()).as("ArchitectureRules.all()").containsExactlyInAnyOrderElementsOf(declared);
        JavaClasses violators = new ClassFileImporter().importPackages("io.alknet")
                .that(JavaClass.Predicates.resideInAPackage("..violation"));
        assertThat(violators).as("the deliberate violators").isNotEmpty();
        for (ArchRule rule : declared) {
            rule.check(production);
            assertThat(rule.evaluate(violators).hasViolation()).as("'%s' flags one of the violators", rule.getDescription()).isTrue();
        }
    }
}
