package io.downline.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.core.domain.JavaClass;

/**
 * The module rules of docs/architecture.md, checked on the compiled main classes: a feature module is
 * io.downline.&lt;module&gt; with a public {@code api} package and internal {@code web}, {@code app} and {@code store}
 * packages; another module may use only the api; inside a module nothing but web depends on web (store may use app's
 * domain types). The demo seeder, like Main, composes modules and is exempt.
 */
class ModuleRulesTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.downline");

    @Test
    void anotherModuleIsReachedOnlyThroughItsApi() {
        classes().that().resideInAPackage("io.downline.(*)..").and().resideOutsideOfPackage("io.downline.demo..")
                .should(useOtherModulesOnlyThroughApi()).check(MAIN);
    }

    @Test
    void apiPackagesExposeNoInternals() {
        noClasses().that().resideInAPackage("io.downline.*.api..")
                .should().dependOnClassesThat().resideInAnyPackage("io.downline.*.web..", "io.downline.*.app..", "io.downline.*.store..")
                .check(MAIN);
    }

    @Test
    void layersPointOneWay() {
        noClasses().that().resideInAnyPackage("io.downline.*.store..", "io.downline.*.app..")
                .should().dependOnClassesThat().resideInAnyPackage("io.downline.*.web..").check(MAIN);
    }

    @Test
    void everyModuleHasOnlyTheKnownParts() {
        classes().that().resideInAPackage("io.downline.(*)..").and().resideOutsideOfPackages("io.downline.common..", "io.downline.demo..")
                .should().resideInAnyPackage("io.downline.*.api..", "io.downline.*.web..", "io.downline.*.app..", "io.downline.*.store..",
                        "io.downline.commission.engine..")
                .check(MAIN);
    }

    @Test
    void modulesDependOnEachOtherWithoutCycles() {
        slices().matching("io.downline.(*)..").should().beFreeOfCycles().check(MAIN.that(resideOutsideOfPackage("io.downline.demo..")));
    }

    /** The first package segment under io.downline names the module; common is shared plumbing every module may use. */
    private static ArchCondition<JavaClass> useOtherModulesOnlyThroughApi() {
        return new ArchCondition<>("use other modules only through their api package") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                String module = module(item.getPackageName());
                for (Dependency dependency : item.getDirectDependenciesFromSelf()) {
                    JavaClass target = dependency.getTargetClass();
                    String other = module(target.getPackageName());
                    if (other == null || other.equals(module) || other.equals("common") || target.getPackageName().startsWith("io.downline." + other + ".api")) {
                        continue;
                    }
                    events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                }
            }
        };
    }

    private static String module(String packageName) {
        if (!packageName.startsWith("io.downline.")) {
            return null;
        }
        String rest = packageName.substring("io.downline.".length());
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

}
