package dev.junction.platform;

import dev.junction.platform.db.Jdbc;
import dev.junction.platform.tenancy.TenantId;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tenancy rule of the persistence layer: every method of every database repository (a
 * {@code *Repository} class working through {@link Jdbc}) takes a {@link TenantId} as its first
 * parameter, so no query can forget the tenant. The tenant registry itself is the one exception.
 */
class TenantScopedRepositoryRuleTest {

    private static final Set<String> NOT_TENANT_SCOPED = Set.of("dev.junction.platform.tenant.TenantRepository");

    /**
     * Methods that read across tenants on purpose, each answering no tenant's data: the ingest
     * inbox's census (counts and oldest age per tenant) that enforces the total bound and feeds the
     * operator's gauges; each tenant's API view of it is filtered in the service.
     */
    private static final Set<String> CROSS_TENANT_METHODS = Set.of("InboxRepository.backlog");

    @Test
    void everyRepositoryMethodTakesATenantIdFirst() throws Exception {
        List<Class<?>> repositories = repositories();
        assertTrue(repositories.size() >= 4, "found repositories: " + repositories);
        List<String> violations = new ArrayList<>();
        for (Class<?> repo : repositories) {
            if (NOT_TENANT_SCOPED.contains(repo.getName())) {
                continue;
            }
            for (Method m : repo.getDeclaredMethods()) {
                if (Modifier.isPrivate(m.getModifiers()) || Modifier.isStatic(m.getModifiers()) || m.isSynthetic()) {
                    continue;
                }
                if (CROSS_TENANT_METHODS.contains(repo.getSimpleName() + "." + m.getName())) {
                    continue;
                }
                if (m.getParameterCount() == 0 || m.getParameterTypes()[0] != TenantId.class) {
                    violations.add(repo.getSimpleName() + "." + m.getName());
                }
            }
        }
        assertTrue(violations.isEmpty(), "repository methods without a leading TenantId: " + violations);
    }

    private static List<Class<?>> repositories() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(TenantId.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith("Repository.class")).toList()) {
                String name = root.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name);
                if (Arrays.stream(c.getDeclaredFields()).anyMatch(f -> f.getType() == Jdbc.class)) {
                    found.add(c);
                }
            }
        }
        return found;
    }
}
