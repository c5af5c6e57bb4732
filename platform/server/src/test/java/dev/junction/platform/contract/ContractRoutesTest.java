package dev.junction.platform.contract;

import dev.junction.platform.support.contract.Contract;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.web.router.Router;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The contract has every route of the server and nothing else. An endpoint added without its
 * operation in ui-contract/openapi.yaml (or an operation whose controller is gone) fails here, by
 * name, before any test has even called it.
 */
@MicronautTest(transactional = false)
class ContractRoutesTest {

    /** Routes that are not API (the console is static files, served outside the router). */
    private static final Set<String> NOT_API = Set.of();

    @Inject
    Router router;

    /** {@code GET /v1/admin/tenants/{}}: parameter names do not matter. */
    private static String normalise(String method, String template) {
        String path = template.replaceAll("\\{[^}]*}", "{}");
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return method + " " + path;
    }

    private static boolean covers(String route, String operation) {
        return route.equals(operation) || java.util.regex.Pattern.matches(
                java.util.Arrays.stream(route.split("\\{}", -1)).map(java.util.regex.Pattern::quote)
                        .collect(Collectors.joining("[^/{}]+")), operation);
    }

    @Test
    void everyRouteIsInTheContractAndEveryOperationIsARoute() {
        Set<String> routes = router.uriRoutes()
                .map(r -> normalise(r.getHttpMethodName(), r.getUriMatchTemplate().toPathString()))
                .filter(r -> !r.startsWith("HEAD ") && !r.startsWith("OPTIONS "))
                .filter(r -> !NOT_API.contains(r))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> operations = Contract.get().operations().stream()
                .map(o -> normalise(o.method(), o.template()))
                .collect(Collectors.toCollection(TreeSet::new));

        // a route template may be described by literal operations (GET /health/{selector}: /health/liveness, ...)
        Set<String> missing = routes.stream().filter(r -> operations.stream().noneMatch(o -> covers(r, o)))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> stale = operations.stream().filter(o -> routes.stream().noneMatch(r -> covers(r, o)))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(), missing, "routes of the server that ui-contract/openapi.yaml does not describe");
        assertEquals(Set.of(), stale, "operations of ui-contract/openapi.yaml that the server does not have");
    }
}
