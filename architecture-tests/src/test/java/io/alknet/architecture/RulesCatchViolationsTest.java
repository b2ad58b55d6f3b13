package io.alknet.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.alknet.api.violation.ApiUsesNetty;
import io.alknet.flowgraph.violation.FlowgraphUsesNetty;
import io.alknet.cli.violation.UsesKernelInternal;
import io.alknet.interfaces.forward.violation.PluginUsesOtherPlugin;
import io.alknet.kernel.violation.KernelUsesNetty;
import io.alknet.kernel.violation.KernelUsesPlugin;
import io.alknet.interfaces.ssh.violation.PluginUsesKernel;
import io.alknet.stream.support.violation.SupportUsesNetty;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every rule is seen to fail: each is evaluated against a class (in this module's test sources) that
 * breaks exactly that rule, and must report it. A rule that cannot fail would pass here silently.
 */
class RulesCatchViolationsTest {

    @Test
    void apiJdkOnlyCatchesNettyInApi() {
        assertViolation(ArchitectureRules.API_IS_JDK_ONLY, ApiUsesNetty.class);
    }

    @Test
    void streamSupportJdkAndApiOnlyCatchesNetty() {
        assertViolation(ArchitectureRules.STREAM_SUPPORT_IS_JDK_AND_API_ONLY, SupportUsesNetty.class);
    }

    @Test
    void flowgraphJdkAndApiOnlyCatchesNetty() {
        assertViolation(ArchitectureRules.FLOWGRAPH_IS_JDK_AND_API_ONLY, FlowgraphUsesNetty.class);
    }

    @Test
    void pluginsWithoutKernelCatchesAKernelCall() {
        assertViolation(ArchitectureRules.PLUGINS_DO_NOT_DEPEND_ON_KERNEL, PluginUsesKernel.class);
    }

    @Test
    void pluginIndependenceCatchesOnePluginUsingAnother() {
        assertViolation(ArchitectureRules.PLUGINS_ARE_INDEPENDENT, PluginUsesOtherPlugin.class);
    }

    @Test
    void kernelWithoutPluginsCatchesAPluginClassInTheKernel() {
        assertViolation(ArchitectureRules.KERNEL_DOES_NOT_KNOW_PLUGINS, KernelUsesPlugin.class);
    }

    @Test
    void kernelWithoutIoLibrariesCatchesNettyInTheKernel() {
        assertViolation(ArchitectureRules.KERNEL_HAS_NO_IO_LIBRARIES, KernelUsesNetty.class);
    }

    @Test
    void internalPackagesCatchAnOutsideUser() {
        assertViolation(ArchitectureRules.INTERNAL_STAYS_INTERNAL, UsesKernelInternal.class);
    }

    private static void assertViolation(ArchRule rule, Class<?> violator) {
        JavaClasses classes = new ClassFileImporter().importClasses(violator);
        EvaluationResult result = rule.evaluate(classes);
        assertThat(result.hasViolation()).as(rule.getDescription() + " must flag " + violator.getSimpleName()).isTrue();
        assertThat(result.getFailureReport().toString()).contains(violator.getName());
    }
}
